"""Shared fixtures: the `shared` folder beside the repository (seed article, Wikinews corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

# The repository and `shared` sit side by side (/work/main and /work/shared; CI clones the
# repository with ../shared beside it as well).
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
SEED_NAME = "000_6624782c086abe22.txt"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder; tests that need it are skipped when it is missing."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"shared folder not found at {SHARED_DIR} (expected beside the repository)")
    return SHARED_DIR


@pytest.fixture(scope="session")
def seed_article_path(shared_dir: Path) -> Path:
    """The seed article: a plain-text news story ending with hashtags and a timestamp."""
    path = shared_dir / "seed" / SEED_NAME
    if not path.is_file():
        pytest.skip(f"seed article not found at {path}")
    return path


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    """The annotated Wikinews corpus (`*.json` records with `text` and gold `facts`)."""
    path = shared_dir / "corpus" / "wikinews"
    if not path.is_dir() or not any(path.glob("*.json")):
        pytest.skip(f"Wikinews corpus not found at {path}")
    return path
