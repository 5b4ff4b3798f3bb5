from ui.loss_page import render_loss_page
render_loss_page("binary_cross_entropy_with_logits")
