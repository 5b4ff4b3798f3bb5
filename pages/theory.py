from ui.theory import render_theory

render_theory()
