from ui.loss_page import render_loss_page
render_loss_page("triplet_margin_with_distance")
