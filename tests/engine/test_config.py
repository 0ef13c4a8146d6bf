from __future__ import annotations

from pathlib import Path

import pytest

from tutela.engine.config import find_config, load_config
from tutela.errors import ConfigError
from tutela.rules.api import Severity


def test_tutela_toml_is_found_upward_and_parsed(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".tutela.toml").write_text(
        'rules = ["3.3"]\nskip_rules = ["ENC006"]\nfail_on = "high"\n'
        "[settings]\nlog_retention_days = 400\napproved_regions = [\"us-east-1\"]\n"
    )
    sub = tmp_path / "infra" / "prod"
    sub.mkdir(parents=True)
    found = find_config(sub)
    assert found == tmp_path / ".tutela.toml"
    cfg = load_config(found)
    assert cfg.rules == ("3.3",) and cfg.skip_rules == ("ENC006",)
    assert cfg.fail_on is Severity.HIGH
    assert cfg.settings.log_retention_days == 400
    assert cfg.settings.approved_regions == ("us-east-1",)


def test_pyproject_tool_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.tutela]\nseverity = "medium"\n')
    cfg = load_config(find_config(tmp_path))
    assert cfg.severity is Severity.MEDIUM


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rulez = []", "unknown key"),
        ('fail_on = "urgent"', "unknown severity"),
        ("[settings]\nlog_retention_days = \"long\"", "must be int"),
        ("[settings]\nretention = 3", "unknown setting"),
        ("rules = [", "invalid TOML"),
    ],
)
def test_bad_config_names_the_file_and_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / ".tutela.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as err:
        load_config(path)
    assert str(path) in str(err.value)
