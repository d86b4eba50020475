from belong import create_app

app = create_app()
