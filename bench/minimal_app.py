"""The ceiling for the page benchmark: a minimal Flask page (a small Jinja template)."""

from flask import Flask, render_template_string

app = Flask(__name__)
PAGE = "<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1><p>{{ text }}</p>"


@app.route("/")
def index():
    return render_template_string(PAGE, title="Minimal page", text="Hello from Flask.")
