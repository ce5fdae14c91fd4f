"""Place names as people write them: the census writes them in capitals ("SAN JUAN DE
LURIGANCHO"); pages show "San Juan de Lurigancho"."""

from __future__ import annotations

# Spanish particles written in lower case inside a name (never as its first word).
PARTICLES = frozenset({"de", "del", "la", "las", "los", "el", "y", "e", "en"})


def proper(name: str) -> str:
    words = name.strip().lower().split()
    return " ".join(
        w if i and w in PARTICLES else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )
