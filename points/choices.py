"""Choices shared by the models, their querysets, the admin and the templates, in one module that imports no model.

Choices that belong to one model alone (``Source.Kind``, ``Point.FigureView``...) are declared on it."""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class Basis(models.TextChoices):
    """What kind of claim a condition link or a combination is; readers see the label."""

    CLASSICAL = "classical", "a classical use (standard texts)"
    TESTED = "tested", "tested in a trial or review"
    POPULAR = "popular", "popular self-help advice, not found in standard texts"


class PointCategory(models.TextChoices):
    YUAN_SOURCE = "yuan-source", "Yuan-Source point"
    LUO_CONNECTING = "luo-connecting", "Luo-Connecting point"
    XI_CLEFT = "xi-cleft", "Xi-Cleft point"
    JING_WELL = "jing-well", "Jing-Well point"
    YING_SPRING = "ying-spring", "Ying-Spring point"
    SHU_STREAM = "shu-stream", "Shu-Stream point"
    JING_RIVER = "jing-river", "Jing-River point"
    HE_SEA = "he-sea", "He-Sea point"
    LOWER_HE_SEA = "lower-he-sea", "Lower He-Sea point"
    BACK_SHU = "back-shu", "Back-Shu point"
    FRONT_MU = "front-mu", "Front-Mu point"
    CONFLUENT = "confluent", "Confluent point of an extraordinary vessel"
    INFLUENTIAL = "influential", "Influential (Hui-Meeting) point"
    CROSSING = "crossing", "Crossing point"
    COMMAND = "command", "Command point"
    WINDOW_OF_SKY = "window-of-sky", "Window of the Sky point"
    GHOST_POINT = "ghost-point", "Ghost point"
