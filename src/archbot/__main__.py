"""`python -m archbot` runs the same command line as the `archbot` script."""

from archbot.bot.cli import main

if __name__ == "__main__":
    main(prog_name="archbot")
