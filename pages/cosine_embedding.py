from ui.loss_page import render_loss_page
render_loss_page("cosine_embedding")
