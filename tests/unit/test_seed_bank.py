"""The shipped seed bank is exactly what the CLI generates from the founding article."""

from __future__ import annotations

from pathlib import Path

from quizapp.banks import load_bank, validate_bank
from quizapp.cli import cli

BANKS = Path(__file__).resolve().parents[2] / "question_banks"


def test_seed_bank_regenerates_byte_for_byte(seed_article_path: Path, tmp_path: Path):
    from click.testing import CliRunner

    shipped = BANKS / f"{seed_article_path.stem}.json"
    assert shipped.is_file(), "question_banks/ must hold the seed article's bank"
    result = CliRunner().invoke(cli, ["generate", str(seed_article_path), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    regenerated = tmp_path / f"{seed_article_path.stem}.json"
    assert regenerated.read_bytes() == shipped.read_bytes()


def test_every_shipped_bank_is_valid():
    banks = sorted(BANKS.glob("*.json"))
    assert banks
    for path in banks:
        assert validate_bank(load_bank(path)) == [], path.name
