# ruff: noqa: E501 - SVG path data reads best one shape a line
"""The body map's regions, described once: each body area with its shapes on the front and back figures.

The shapes follow the outlines in points/templates/points/figures/front.html and back.html
(viewBox 0 0 200 400). points/templates/points/includes/body_map.html draws them in a loop;
an area listed here with no shapes on a view is simply not on that figure.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Shape:
    """An SVG ellipse (cx, cy, rx, ry) or path (d)."""

    kind: str
    d: str = ""
    cx: float = 0
    cy: float = 0
    rx: float = 0
    ry: float = 0


def ellipse(cx, cy, rx, ry):
    return Shape("ellipse", cx=cx, cy=cy, rx=rx, ry=ry)


def mirrored(dx, cy, rx, ry):
    """An ellipse on each side, ``dx`` either side of the midline: the figures are 200 wide, centred on x=100."""
    return (ellipse(100 + dx, cy, rx, ry), ellipse(100 - dx, cy, rx, ry))


def path(d):
    return Shape("path", d=d)


@dataclass(frozen=True)
class Region:
    slug: str
    front_title: str = ""
    back_title: str = ""
    front: tuple = field(default_factory=tuple)
    back: tuple = field(default_factory=tuple)


REGIONS = (
    Region(
        "head",
        back_title="Points on the head",
        back=(ellipse(100, 33, 17, 23),),
    ),
    Region(
        "face",
        front_title="Points on the face",
        front=(ellipse(100, 37, 15.5, 19.5),),
    ),
    Region(
        "ear",
        front_title="Points on the ears",
        front=mirrored(17.5, 36, 5, 8.5),
        back_title="Points on the ears",
        back=mirrored(17.5, 36, 5, 8.5),
    ),
    Region(
        "neck",
        front_title="Points on the neck",
        front=(path("M90 56.5L110 56.5L111.5 67L106 74L94 74L88.5 67Z"),),
        back_title="Points on the neck",
        back=(path("M88.5 50L111.5 50L112 67L106 74L94 74L88 67Z"),),
    ),
    Region(
        "shoulder",
        front_title="Points on the shoulders",
        front=(
            path("M111 65L124 70.5L136 74.5L144.5 78.5L151 89L152.5 101L138 103L135.5 92L131 81L111 75Z"),
            path("M89 65L76 70.5L64 74.5L55.5 78.5L49 89L47.5 101L62 103L64.5 92L69 81L89 75Z"),
        ),
        back_title="Points on the shoulders",
        back=(
            path("M111 65L124 70.5L136 74.5L144.5 78.5L151 89L152.5 101L138 103L135.5 92L131 81L111 75Z"),
            path("M89 65L76 70.5L64 74.5L55.5 78.5L49 89L47.5 101L62 103L64.5 92L69 81L89 75Z"),
        ),
    ),
    Region(
        "chest",
        front_title="Points on the chest",
        front=(path("M89 75L111 75L131 81L135.5 92L133 100L131.5 112L130 131L70 131L68.5 112L67 100L64.5 92L69 81Z"),),
    ),
    Region(
        "upper-back",
        back_title="Points on the upper back",
        back=(path("M89 75L111 75L131 81L135.5 92L133 100L131.5 112L130 134L70 134L68.5 112L67 100L64.5 92L69 81Z"),),
    ),
    Region(
        "abdomen",
        front_title="Points on the abdomen",
        front=(
            path(
                "M70 131L130 131L127.5 146L129.5 163L134 181L132 190L118 200L103 208L97 208L82 200L68 190L66 181L70.5 163L72.5 146Z"
            ),
        ),
    ),
    Region(
        "lower-back",
        back_title="Points on the lower back",
        back=(path("M70 134L130 134L127.5 146L129.5 163L130.5 170L69.5 170L70.5 163L72.5 146Z"),),
    ),
    Region(
        "sacrum-buttock",
        back_title="Points on the sacrum and buttocks",
        back=(
            path(
                "M69.5 170L130.5 170L134 181L137 197L136 213L132 217L117 222L101 214L99 214L83 222L68 217L64 213L63 197L66 181Z"
            ),
        ),
    ),
    Region(
        "arm",
        front_title="Points on the arms",
        front=(
            path(
                "M136 104L151.5 100L154 122L157 140L160 152L165 170L169 188L172.5 203L159 206L155 190L150 172L145 154L141 138L138 120Z"
            ),
            path(
                "M64 104L48.5 100L46 122L43 140L40 152L35 170L31 188L27.5 203L41 206L45 190L50 172L55 154L59 138L62 120Z"
            ),
        ),
        back_title="Points on the arms",
        back=(
            path(
                "M136 104L151.5 100L154 122L157 140L160 152L165 170L169 188L172.5 203L159 206L155 190L150 172L145 154L141 138L138 120Z"
            ),
            path(
                "M64 104L48.5 100L46 122L43 140L40 152L35 170L31 188L27.5 203L41 206L45 190L50 172L55 154L59 138L62 120Z"
            ),
        ),
    ),
    Region(
        "hand",
        front_title="Points on the hands",
        front=(
            path("M158.5 204L173 201L181 216L181 230L176.5 237L175.5 246L170 251L164 250L160 241L158.5 226Z"),
            path("M41.5 204L27 201L19 216L19 230L23.5 237L24.5 246L30 251L36 250L40 241L41.5 226Z"),
        ),
        back_title="Points on the hands",
        back=(
            path("M158.5 204L173 201L181 216L181 230L176.5 237L175.5 246L170 251L164 250L160 241L158.5 226Z"),
            path("M41.5 204L27 201L19 216L19 230L23.5 237L24.5 246L30 251L36 250L40 241L41.5 226Z"),
        ),
    ),
    Region(
        "leg",
        front_title="Points on the legs",
        front=(
            path(
                "M101 209L118 200L132 190L137 197L136 216L133 240L129.5 264L128 282L128.5 294L130 309L128 328L123 350L120 366L104 366L104 340L102.5 320L103.5 302L105.5 289L105 276L104 255L102.5 232L101 216Z"
            ),
            path(
                "M99 209L82 200L68 190L63 197L64 216L67 240L70.5 264L72 282L71.5 294L70 309L72 328L77 350L80 366L96 366L96 340L97.5 320L96.5 302L94.5 289L95 276L96 255L97.5 232L99 216Z"
            ),
        ),
        back_title="Points on the legs",
        back=(
            path(
                "M101 214L117 222L132 217L136 213L136 216L133 240L129.5 264L128 282L128.5 294L130 309L128 328L123 350L120 366L104 366L104 340L102.5 320L103.5 302L105.5 289L105 276L104 255L102.5 232L101 216Z"
            ),
            path(
                "M99 214L83 222L68 217L64 213L64 216L67 240L70.5 264L72 282L71.5 294L70 309L72 328L77 350L80 366L96 366L96 340L97.5 320L96.5 302L94.5 289L95 276L96 255L97.5 232L99 216Z"
            ),
        ),
    ),
    Region(
        "knee",
        front_title="Points on the knees",
        front=mirrored(16, 284, 12.5, 12),
        back_title="Points behind the knees",
        back=mirrored(16, 288, 12.5, 11.5),
    ),
    Region(
        "foot",
        front_title="Points on the feet",
        front=(
            path("M104 364L120 364L122.5 373L125 383L121.5 391L113 392L105 391L103.5 382L104 372Z"),
            path("M96 364L80 364L77.5 373L75 383L78.5 391L87 392L95 391L96.5 382L96 372Z"),
        ),
        back_title="Points on the feet",
        back=(
            path("M104 364L120 364L122 373L122.5 381L119 389L112 392L105.5 390L103.5 382L104 372Z"),
            path("M96 364L80 364L78 373L77.5 381L81 389L88 392L94.5 390L96.5 382L96 372Z"),
        ),
    ),
)


def regions_on(view):
    """(slug, title, shapes) for every region drawn on the "front" or "back" figure, in REGIONS order."""
    return [
        (region.slug, getattr(region, f"{view}_title"), getattr(region, view))
        for region in REGIONS
        if getattr(region, view)
    ]


VIEWS = (("front", "Body map, front", "Front"), ("back", "Body map, back", "Back"))
