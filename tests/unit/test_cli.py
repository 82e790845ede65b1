"""The `quizapp` command line (contracts §1, §2, §4): generate and evaluate.

Most cases run in-process through click's CliRunner (the spaCy model is loaded once per test
session); a few run `python -m quizapp` in a subprocess, as a teacher would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.banks import validate_bank
from quizapp.cli import cli

GOLD_NAME = "22_new_hampshire_primaries_2020"
SECOND_NAME = "02_gdansk_mayor_stabbed"

# Bad inputs (contracts §1): file name, bytes, a word the reason must contain.
BAD_INPUTS = {
    "empty": ("empty.txt", b"", "empty"),
    "whitespace": ("blank.md", b" \n\t\n  \n", "whitespace"),
    "binary": ("photo.txt", bytes(range(256)) * 8, "binary"),
    "latin-1": (
        "latin1.txt",
        "Le maire de S\u00e3o Paulo a visit\u00e9 le caf\u00e9 lundi.\n".encode("latin-1"),
        "UTF-8",
    ),
    "bad-json": ("broken.json", b'{"title": "Broken", "text": "An article.",\n', "JSON"),
}


def run(*args: str, input: str | bytes | None = None) -> Result:
    """Invoke the console entry point in-process, as `quizapp ARGS…`."""
    # FlaskGroup sets FLASK_RUN_FROM_CLI; listing it here restores the environment afterwards.
    runner = CliRunner(env={"FLASK_RUN_FROM_CLI": None})
    return runner.invoke(cli, list(args), prog_name="quizapp", input=input)


def run_module(*args: str, cwd: Path, input: bytes | None = None, hash_seed: str = "0"):
    """Run `python -m quizapp ARGS…` in a fresh process."""
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    env.pop("FLASK_RUN_FROM_CLI", None)
    return subprocess.run(
        [sys.executable, "-m", "quizapp", *args],
        input=input,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def check_bank(data: dict) -> None:
    assert data["format"] == "quizapp-bank"
    assert data["version"] == 1
    assert data["questions"], "the bank has no questions"
    assert validate_bank(data) == []


@pytest.fixture(scope="module")
def seed_stdout(seed_article_path: Path) -> str:
    """`quizapp generate SEED` run once in-process: the bank JSON it prints."""
    result = run("generate", str(seed_article_path))
    assert result.exit_code == 0, result.output
    return result.stdout


def write_bad(folder: Path, kind: str) -> tuple[Path, str]:
    name, data, reason = BAD_INPUTS[kind]
    path = folder / name
    path.write_bytes(data)
    return path, reason


# -- generate: one article ------------------------------------------------------------------


def test_generate_prints_a_valid_bank(seed_stdout: str) -> None:
    data = json.loads(seed_stdout)
    check_bank(data)
    # The trailing timestamp "2023-09-21 20:19:11" is the article's date (contracts §1).
    assert data["source"]["published"] == "2023-09-21"
    assert data["generator"]["name"] == "quizapp"
    assert seed_stdout.endswith("\n")


def test_generate_writes_output_file(seed_article_path: Path, seed_stdout: str, tmp_path) -> None:
    out = tmp_path / "out.json"
    result = run("generate", str(seed_article_path), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == seed_stdout


def test_generate_single_article_into_folder(seed_article_path: Path, tmp_path) -> None:
    out_dir = tmp_path / "banks"
    result = run("generate", str(seed_article_path), "-o", str(out_dir))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out_dir.iterdir()) == [f"{seed_article_path.stem}.json"]


def test_generate_max_questions(seed_article_path: Path, seed_stdout: str) -> None:
    result = run("generate", str(seed_article_path), "--max-questions", "5")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    check_bank(data)
    assert len(data["questions"]) == 5
    # The best five of the full bank, in the same order.
    assert data["questions"] == json.loads(seed_stdout)["questions"][:5]


def test_generate_max_questions_must_be_positive(seed_article_path: Path) -> None:
    result = run("generate", str(seed_article_path), "--max-questions", "0")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_generate_from_stdin(seed_article_path: Path, seed_stdout: str) -> None:
    text = seed_article_path.read_text(encoding="utf-8")
    result = run("generate", "-", input=text)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    check_bank(data)
    assert data["source"]["published"] == "2023-09-21"
    # The same text read from stdin makes the same bank as the file (a .txt) does.
    assert result.stdout == seed_stdout


def test_generate_is_deterministic(seed_article_path: Path, seed_stdout: str) -> None:
    again = run("generate", str(seed_article_path))
    assert again.exit_code == 0, again.output
    assert again.stdout.encode("utf-8") == seed_stdout.encode("utf-8")


# -- generate: several articles -------------------------------------------------------------


def test_generate_batch_into_folder(seed_article_path: Path, corpus_dir: Path, tmp_path) -> None:
    second = corpus_dir / f"{SECOND_NAME}.json"
    out_dir = tmp_path / "new" / "banks"  # created on demand
    result = run("generate", str(seed_article_path), str(second), "-o", str(out_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    expected = sorted([f"{seed_article_path.stem}.json", f"{SECOND_NAME}.json"])
    assert sorted(p.name for p in out_dir.iterdir()) == expected
    for name in expected:
        check_bank(json.loads((out_dir / name).read_text(encoding="utf-8")))
    record = json.loads(second.read_text(encoding="utf-8"))
    bank = json.loads((out_dir / f"{SECOND_NAME}.json").read_text(encoding="utf-8"))
    assert bank["title"] == record["title"]
    assert bank["source"]["published"] == record["published"]


def test_several_articles_need_an_output_folder(seed_article_path: Path, corpus_dir: Path):
    second = corpus_dir / f"{SECOND_NAME}.json"
    result = run("generate", str(seed_article_path), str(second))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "-o" in result.stderr
    assert "Traceback" not in result.output


def test_several_articles_cannot_share_one_file(seed_article_path: Path, corpus_dir, tmp_path):
    out = tmp_path / "all.json"
    result = run(
        "generate", str(seed_article_path), str(corpus_dir / f"{SECOND_NAME}.json"), "-o", str(out)
    )
    assert result.exit_code == 2
    assert not out.exists()
    assert "Traceback" not in result.output


def test_generate_needs_an_article() -> None:
    result = run("generate")
    assert result.exit_code == 2
    assert "Usage:" in result.stderr


# -- generate: bad input --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["empty", "binary", "latin-1", "bad-json"])
def test_batch_with_a_bad_file(kind: str, seed_article_path: Path, tmp_path) -> None:
    bad, reason = write_bad(tmp_path, kind)
    out_dir = tmp_path / "banks"
    result = run("generate", str(bad), str(seed_article_path), "-o", str(out_dir))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    # The good article's bank is still written.
    good = out_dir / f"{seed_article_path.stem}.json"
    check_bank(json.loads(good.read_text(encoding="utf-8")))
    assert not (out_dir / f"{bad.stem}.json").exists()
    # One line names the bad file and the reason ...
    err = lines(result.stderr)
    named = [line for line in err if str(bad) in line]
    assert named and reason.lower() in named[0].lower()
    # ... and the failures are listed again at the end.
    summary = next(i for i, line in enumerate(err) if "failed" in line)
    assert "1 of 2" in err[summary]
    assert [line.strip() for line in err[summary + 1 :]] == [named[0].split("error: ")[-1]]


def test_batch_lists_every_failure(seed_article_path: Path, tmp_path) -> None:
    bad = [write_bad(tmp_path, kind) for kind in BAD_INPUTS]
    missing = tmp_path / "missing.txt"
    out_dir = tmp_path / "banks"
    args = [str(p) for p, _ in bad] + [str(seed_article_path), str(missing)]
    result = run("generate", *args, "-o", str(out_dir))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert [p.name for p in out_dir.iterdir()] == [f"{seed_article_path.stem}.json"]
    err = lines(result.stderr)
    summary = next(i for i, line in enumerate(err) if "failed" in line)
    assert f"{len(bad) + 1} of {len(args)}" in err[summary]
    listed = err[summary + 1 :]
    assert len(listed) == len(bad) + 1
    for (path, reason), line in zip(bad, listed, strict=False):
        assert str(path) in line and reason.lower() in line.lower()
    assert str(missing) in listed[-1] and "not found" in listed[-1]


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_single_bad_file(kind: str, tmp_path) -> None:
    bad, reason = write_bad(tmp_path, kind)
    result = run("generate", str(bad))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.output
    err = lines(result.stderr)
    assert len(err) == 1, err
    assert str(bad) in err[0] and reason.lower() in err[0].lower()


def test_missing_file(tmp_path) -> None:
    missing = tmp_path / "nowhere.txt"
    result = run("generate", str(missing))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.output
    err = lines(result.stderr)
    assert len(err) == 1 and str(missing) in err[0] and "not found" in err[0]


def test_empty_stdin() -> None:
    result = run("generate", "-", input="")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "<stdin>" in result.stderr


# -- evaluate -------------------------------------------------------------------------------


@pytest.fixture()
def gold_dir(corpus_dir: Path, tmp_path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    shutil.copy(corpus_dir / f"{GOLD_NAME}.json", folder)
    return folder


def test_evaluate_prints_a_report(gold_dir: Path) -> None:
    result = run("evaluate", str(gold_dir))
    assert result.exit_code == 0, result.output
    report = result.stdout
    assert GOLD_NAME in report
    assert "coverage:" in report and "top-20 coverage:" in report
    facts = len(json.loads((gold_dir / f"{GOLD_NAME}.json").read_text())["facts"])
    assert f"of {facts} facts" in report
    assert "defects:" in report and "duplicates:" in report


def test_evaluate_json_and_saved_banks(gold_dir: Path, tmp_path) -> None:
    result = run("evaluate", str(gold_dir), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    summary = report["summary"]
    assert [a["name"] for a in report["articles"]] == [GOLD_NAME]
    assert 0 <= summary["coverage"] <= 1
    assert 0 <= summary["top_coverage"] <= 1

    # Banks generated beforehand into a folder are read instead of generated.
    banks = tmp_path / "banks"
    made = run("generate", str(gold_dir / f"{GOLD_NAME}.json"), "-o", str(banks))
    assert made.exit_code == 0, made.output
    assert (banks / f"{GOLD_NAME}.json").is_file()
    saved = run("evaluate", str(gold_dir), "--banks", str(banks), "--json")
    assert saved.exit_code == 0, saved.output
    assert json.loads(saved.stdout)["summary"] == summary

    # ... and really read: an emptied bank covers nothing.
    bank = json.loads((banks / f"{GOLD_NAME}.json").read_text(encoding="utf-8"))
    bank["questions"] = bank["questions"][:1]
    bank.pop("alternates", None)  # alternates count for coverage too
    (banks / f"{GOLD_NAME}.json").write_text(json.dumps(bank), encoding="utf-8")
    fewer = run("evaluate", str(gold_dir), "--banks", str(banks), "--json")
    assert fewer.exit_code == 0, fewer.output
    assert json.loads(fewer.stdout)["summary"]["coverage"] <= 1 / sum(summary["facts"].values())


def test_evaluate_missing_gold_dir(tmp_path) -> None:
    result = run("evaluate", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# -- a real process -------------------------------------------------------------------------


def test_module_generate_matches_in_process(seed_article_path: Path, seed_stdout: str, tmp_path):
    """`python -m quizapp generate SEED`: same bytes as in-process, whatever the hash seed."""
    first = run_module("generate", str(seed_article_path), cwd=tmp_path, hash_seed="1")
    assert first.returncode == 0, first.stderr.decode()
    check_bank(json.loads(first.stdout))
    assert first.stdout == seed_stdout.encode("utf-8")
    # From standard input, in another process with another hash seed: byte-identical again.
    second = run_module(
        "generate", "-", cwd=tmp_path, input=seed_article_path.read_bytes(), hash_seed="2"
    )
    assert second.returncode == 0, second.stderr.decode()
    assert second.stdout == first.stdout


def test_module_reports_bad_input_in_one_line(tmp_path) -> None:
    bad, reason = write_bad(tmp_path, "latin-1")
    result = run_module("generate", str(bad), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""
    err = lines(result.stderr.decode("utf-8"))
    assert len(err) == 1 and str(bad) in err[0] and reason in err[0]
    assert "Traceback" not in result.stderr.decode("utf-8")


def test_unwritable_output_is_one_clear_line(seed_article_path: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("generate", str(seed_article_path), "-o", str(blocker / "out.json"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "cannot write there" in result.output


def test_same_stem_inputs_get_distinct_banks(seed_article_path: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = tmp_path / "a" / "story.txt"
    second = tmp_path / "b" / "story.txt"
    shutil.copy(seed_article_path, first)
    second.write_text("Police arrested 12 protesters outside the parliament in Lisbon.\n")
    out = tmp_path / "out"
    result = run("generate", str(first), str(second), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["story-2.json", "story.json"]
    assert "another input is named story" in result.output
