"""Extra published points for measuring how pages scale (the benchmark, the query-count tests)."""

from points.models import BodyArea, Condition, Point, PointCondition, PointPrecaution, Precaution, Source


def add_generated_points(count):
    """`count` extra published, described points on the lower back, each with a condition link and a warning."""
    letters = [f"{a}{b}" for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    taken = set(Point.objects.values_list("code", flat=True))
    codes = [
        code for code in (f"MA-{pair}{number}" for pair in letters for number in range(1, 100)) if code not in taken
    ]
    codes = codes[:count]
    points = Point.objects.bulk_create(
        Point(
            code=code, pinyin=f"Generated{n}", hanzi_traditional="穴", english_name=f"Generated point {n}",
            summary="Generated.", location="x", finding="x", pressing="x", functions="x", indications="x",
            described=True, status="published", sort_key=99_000 + n, search_names=f" {code.lower()} generated{n} ",
        )
        for n, code in enumerate(codes)
    )  # fmt: skip
    area = BodyArea.objects.get(slug="lower-back")
    sciatica, pregnancy = Condition.objects.get(slug="sciatica"), Precaution.objects.get(slug="pregnancy")
    source = Source.objects.first()
    Point.areas.through.objects.bulk_create(Point.areas.through(point=point, bodyarea=area) for point in points)
    PointCondition.objects.bulk_create(
        PointCondition(point=point, condition=sciatica, note="x", source=source) for point in points
    )
    PointPrecaution.objects.bulk_create(
        PointPrecaution(point=point, precaution=pregnancy, note="x") for point in points
    )
