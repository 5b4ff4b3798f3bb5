from ui.glossary import render_glossary

render_glossary()
