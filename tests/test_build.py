import pytest

from tourgraph.build import build
from tourgraph.errors import InputError, ValidationFailed
from tourgraph.project import open_project


@pytest.fixture(params=["serial", "dumps ahead"])
def lanes(request, monkeypatch):
    """A small project built as a large one is: the dumps' lane forked before the validation."""
    import tourgraph.build

    monkeypatch.setattr(tourgraph.build, "PARALLEL_EXPORT_QUADS", 0 if request.param == "dumps ahead" else 10**12)
    return request.param


def _children_left():
    import multiprocessing

    return multiprocessing.active_children()


def test_build_writes_the_dumps(dist):
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.trig", "context.jsonld"):
        assert (dist / name).stat().st_size > 0, name


def _previous_dist(project_copy):
    out = project_copy / "dist"
    build(open_project(project_copy), out)
    return out, {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_invalid_graph_leaves_previous_dist_untouched(project_copy, lanes):
    out, before = _previous_dist(project_copy)
    people = project_copy / "data" / "tours" / "2026-hauts-de-france" / "people.ttl"
    people.write_text(people.read_text().replace("schema:jobTitle", "schema:description", 1))
    (project_copy / "data" / "broken-type.ttl").write_text(
        "@prefix schema: <https://schema.org/> .\n<event/inspiration-tour-2026-hauts-de-france> schema:startDate \"soon\" .\n"
    )
    with pytest.raises(ValidationFailed):
        build(open_project(project_copy), out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in project_copy.iterdir() if p.name.startswith(".dist")]
    assert not _children_left()  # the dumps' lane, started before the verdict, was stopped


def test_syntax_error_leaves_previous_dist_untouched(project_copy):
    out, before = _previous_dist(project_copy)
    (project_copy / "data" / "bad.ttl").write_text("<a> <b> \n")
    with pytest.raises(InputError):
        build(open_project(project_copy), out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_failure_while_writing_leaves_previous_dist(project_copy, monkeypatch, lanes):
    out, before = _previous_dist(project_copy)
    from tourgraph.export import rdf

    def explode(ctx):
        (ctx.out / "partial.txt").write_text("half")
        raise OSError("disk full")

    monkeypatch.setattr(rdf, "write", explode)
    with pytest.raises(OSError, match="disk full"):
        build(open_project(project_copy), out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in project_copy.iterdir() if p.name.startswith(".dist")]
    assert not _children_left()


def test_a_graph_that_does_not_conform_stops_the_dumps_started_before_the_verdict(project_copy, monkeypatch):
    import time

    import tourgraph.build
    from tourgraph.export import rdf

    out, before = _previous_dist(project_copy)
    monkeypatch.setattr(tourgraph.build, "PARALLEL_EXPORT_QUADS", 0)

    def slow(ctx):  # dumps still being written when the verdict comes
        time.sleep(60)
        (ctx.out / "late.txt").write_text("written after the verdict")

    monkeypatch.setattr(rdf, "write", slow)
    (project_copy / "data" / "broken-type.ttl").write_text(
        "@prefix schema: <https://schema.org/> .\n<event/inspiration-tour-2026-hauts-de-france> schema:startDate \"soon\" .\n"
    )
    began = time.monotonic()
    with pytest.raises(ValidationFailed):
        build(open_project(project_copy), out)
    assert time.monotonic() - began < 30
    assert not _children_left()
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in project_copy.iterdir() if p.name.startswith(".dist")]


@pytest.mark.parametrize("static", [True, False], ids=["static", "on demand"])
def test_dumps_started_before_the_validation_write_what_a_serial_build_writes(project_copy, monkeypatch, static):
    import tourgraph.build

    config = project_copy / "tourgraph.toml"
    config.write_text(config.read_text().replace("static = true", f"static = {str(static).lower()}"))
    outputs = {}
    for threshold in (10**12, 0):
        monkeypatch.setattr(tourgraph.build, "PARALLEL_EXPORT_QUADS", threshold)
        out = project_copy / f"dist-{threshold}"
        build(open_project(project_copy), out)
        outputs[threshold] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert outputs[0] == outputs[10**12]
    assert {"graph.trig", "void.ttl", "opendata/catalog.ttl"} <= set(outputs[0])
    assert (".tourgraph-state.json" in outputs[0]) is static


def test_parallel_lanes_write_the_same_files_as_a_serial_run(project, checked, tmp_path):
    from tourgraph.build import run_stage
    from tourgraph.export import BuildContext, stages
    from tourgraph.privacy import publishable

    graph = publishable(checked.graph)
    outputs = {}
    for parallel in (False, True):
        out = tmp_path / str(parallel)
        out.mkdir()
        ctx = BuildContext(project=project, graph=graph, out=out)
        for stage in stages():
            run_stage(stage, ctx, parallel=parallel)
        outputs[parallel] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert outputs[True] == outputs[False]
    assert "graph.ttl" in outputs[True] and "opendata/catalog.ttl" in outputs[True]


def test_a_failing_lane_in_another_process_fails_the_stage(project, checked, tmp_path, monkeypatch):
    from tourgraph.build import run_stage
    from tourgraph.export import BuildContext, rdf, stages

    def explode(ctx):
        raise OSError("disk full in the rdf lane")

    monkeypatch.setattr(rdf, "write", explode)
    ctx = BuildContext(project=project, graph=checked.graph, out=tmp_path)
    first = stages()[0]
    assert any(rdf in lane for lane in first[1:]), "rdf must run in a lane of its own process"
    with pytest.raises(OSError, match="disk full in the rdf lane"):
        run_stage(first, ctx, parallel=True)
