from ui.loss_page import render_loss_page
render_loss_page("multilabel_soft_margin")
