from ui.origins import render_origins

render_origins()
