"""Every command's --help, top level and subcommands alike, shows an example to copy."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from learngraph.cli import main


def commands(group: click.Group, prefix: tuple[str, ...] = ()):
    context = click.Context(group)
    for name in group.list_commands(context):
        yield (*prefix, name)
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))


@pytest.mark.parametrize(
    "command", [(), *commands(main)], ids=lambda command: " ".join(command) or "learngraph"
)
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout
