from ui.choose import render_choose

render_choose()
