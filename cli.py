import click
@click.group()
def cli():
    "workforce-kb"
