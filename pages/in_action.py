from ui.in_action import render_in_action

render_in_action()
