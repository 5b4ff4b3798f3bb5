from ui.compare import render_compare

render_compare()
