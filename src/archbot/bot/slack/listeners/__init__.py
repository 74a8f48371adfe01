"""Every listener kind registers itself here; each module's `register` wires one kind.

A rule for all of them: the acknowledgement (run on the request thread, before Slack's 3-second
deadline) never calls the Web API or the advisor. That work happens in Bolt "lazy" functions, which run
on the app's deliberately sized executor.
"""

from __future__ import annotations

from slack_bolt import App

from archbot.bot.slack.deps import Deps
from archbot.bot.slack.listeners import actions, assistant, commands, dedupe, events, guard, home, shortcuts


def register_listeners(app: App, deps: Deps) -> None:
    guard.register(app)
    dedupe.register(app, deps)
    assistant.register(app, deps)
    commands.register(app, deps)
    actions.register(app, deps)
    shortcuts.register(app, deps)
    home.register(app, deps)
    events.register(app, deps)
