"""Photos' files in the exchange format (issue 15): a photo's optional `file`
(the SHA-256 of its stored bytes) and `alt`; `export --files DIR` writes
the files, `import --files DIR` reads them (a missing one is an error
naming its path, one whose bytes do not hash to its name is refused, one
that is no whole image too), and a round trip into a fresh database gives
the same export and the same files. `podium copy` carries them."""

import hashlib
import io
import json

from PIL import Image

from backend import SqliteFile, execute, target
from images import noise_png
from conftest import export_json, run, run_ok, write_doc

SLUG = "malaysia-hightech-2021"


def jpeg_bytes(color, size=(320, 200)):
    b = io.BytesIO()
    Image.new("RGB", size, color).save(b, "JPEG", quality=80)
    return b.getvalue()


def png_bytes():
    b = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 255, 100)).save(b, "PNG")
    return b.getvalue()


def with_files(doc, folder):
    """doc with its first article's first two photos given files in folder (and an alt)."""
    files = {}
    photos = doc["programs"][0]["articles"][0]["photos"]
    for photo, (data, ext) in zip(photos, [(jpeg_bytes((200, 30, 30)), "jpg"), (png_bytes(), "png")]):
        digest = hashlib.sha256(data).hexdigest()
        (folder / f"{digest}.{ext}").write_bytes(data)
        photo["file"] = digest
        files[f"{digest}.{ext}"] = data
    photos[0]["alt"] = "A red square"
    return doc, files


def test_round_trip_with_files(tmp_path, malaysia):
    src = tmp_path / "in"
    src.mkdir()
    doc, files = with_files(malaysia, src)
    path = write_doc(tmp_path / "doc.json", doc)
    db = tmp_path / "a.db"
    run_ok("import", "--files", src, path, db=db)
    out = tmp_path / "out"
    exported = json.loads(run_ok("export", "--files", out, SLUG, db=db))
    photos = exported["programs"][0]["articles"][0]["photos"]
    assert photos[0]["alt"] == "A red square"
    assert {p["file"] for p in photos if "file" in p} == {name.split(".")[0] for name in files}
    assert {f.name: f.read_bytes() for f in out.iterdir()} == files
    # into a fresh database: the same export, the same files
    db2 = tmp_path / "b.db"
    write_doc(tmp_path / "exported.json", exported)
    run_ok("import", "--files", out, tmp_path / "exported.json", db=db2)
    assert export_json(db2) == exported == export_json(db, SLUG)
    out2 = tmp_path / "out2"
    run_ok("export", "--files", out2, db=db2)
    assert {f.name: f.read_bytes() for f in out2.iterdir()} == files
    # the files are there: a second import needs no folder
    run_ok("import", tmp_path / "exported.json", db=db2)
    # podium copy carries the files and renditions (into a SQLite file, from either backend)
    db3 = SqliteFile(tmp_path / "c.db")
    run_ok("copy", target(db), db3)
    out3 = tmp_path / "out3"
    run_ok("export", "--files", out3, db=db3)
    assert {f.name: f.read_bytes() for f in out3.iterdir()} == files


def test_an_existing_document_stays_valid(tmp_path, malaysia):
    db = tmp_path / "a.db"
    path = write_doc(tmp_path / "doc.json", malaysia)
    run_ok("import", path, db=db)
    out = tmp_path / "out"
    run_ok("export", "--files", out, db=db)
    assert list(out.iterdir()) == []


def test_files_refused(tmp_path, malaysia):
    src = tmp_path / "in"
    src.mkdir()
    doc, files = with_files(malaysia, src)
    path = write_doc(tmp_path / "doc.json", doc)
    db = tmp_path / "a.db"
    # no folder: the files are not in the database
    rc, out, err = run("import", path, db=db)
    assert rc == 65, err
    assert "programs[0].articles[0].photos[0].file" in err and "--files" in err
    # a missing file: its path named
    name = sorted(files)[0]
    (src / name).unlink()
    rc, out, err = run("import", "--files", src, path, db=db)
    assert rc == 65 and str(src / name.split(".")[0]) in err, err
    # bytes that do not hash to the name
    (src / name).write_bytes(jpeg_bytes((0, 255, 0)))
    rc, out, err = run("import", "--files", src, path, db=db)
    assert rc == 65 and "do not match its name" in err, err
    # a file that is no whole image, named by its hash
    data = files[name][: len(files[name]) // 2]
    doc["programs"][0]["articles"][0]["photos"][0]["file"] = hashlib.sha256(data).hexdigest()
    (src / name).unlink()
    (src / f"{hashlib.sha256(data).hexdigest()}.jpg").write_bytes(data)
    write_doc(path, doc)
    rc, out, err = run("import", "--files", src, path, db=db)
    assert rc == 65 and "cannot be read" in err, err
    # a name that is no hash
    doc["programs"][0]["articles"][0]["photos"][0]["file"] = "../../etc/passwd"
    write_doc(path, doc)
    rc, out, err = run("import", "--files", src, path, db=db)
    assert rc == 65 and "SHA-256" in err, err


def png_of(image):
    b = io.BytesIO()
    image.save(b, "PNG", compress_level=1)
    return b.getvalue()


def imported_with_noise(tmp_path, malaysia, width, height):
    """A database (a.db) of malaysia whose first photo's file is a noise PNG of width x height
    imported with --files: (db, the file's bytes, its hash)."""
    src = tmp_path / "in"
    src.mkdir()
    data = noise_png(width, height)
    digest = hashlib.sha256(data).hexdigest()
    (src / f"{digest}.png").write_bytes(data)
    malaysia["programs"][0]["articles"][0]["photos"][0]["file"] = digest
    db = tmp_path / "a.db"
    run_ok("import", "--files", src, write_doc(tmp_path / "doc.json", malaysia), db=db)
    return db, data, digest


def test_a_large_file_is_kept_in_parts(tmp_path, malaysia):
    """A file over 1 MiB is kept in parts (blob.data, then blob_chunk); every way out of the
    database gives its bytes back whole: export --files, an import of them into a fresh
    database, and podium copy."""
    db, data, digest = imported_with_noise(tmp_path, malaysia, 1100, 1000)
    assert len(data) > 2 * 1024 * 1024
    parts = execute(db, f"SELECT b.chunks, count(c.seq), sum(length(c.data)) + length(b.data) FROM blob b "
                        f"JOIN blob_chunk c ON c.hash = b.hash WHERE b.hash = '{digest}' GROUP BY b.hash, b.chunks, b.data")
    chunks = (len(data) - 1) // (1024 * 1024)
    assert parts == [(chunks, chunks, len(data))]
    out = tmp_path / "out"
    exported = json.loads(run_ok("export", "--files", out, SLUG, db=db))
    assert (out / f"{digest}.png").read_bytes() == data
    write_doc(tmp_path / "exported.json", exported)
    db2 = tmp_path / "b.db"
    run_ok("import", "--files", out, tmp_path / "exported.json", db=db2)
    out2 = tmp_path / "out2"
    run_ok("export", "--files", out2, SLUG, db=db2)
    assert (out2 / f"{digest}.png").read_bytes() == data
    db3 = SqliteFile(tmp_path / "c.db")
    run_ok("copy", target(db), db3)
    out3 = tmp_path / "out3"
    run_ok("export", "--files", out3, SLUG, db=db3)
    assert (out3 / f"{digest}.png").read_bytes() == data


def peak_rss_kb(*args, db):
    """The highest VmHWM read of podium --db DB ARGS... (which must succeed) while it runs, in KB:
    never above its real peak. (Not ru_maxrss: exec keeps the forking process's, pytest's.)"""
    import re
    import subprocess
    from conftest import BIN, _env, before_command
    db, env = before_command(args, db, None)
    p = subprocess.Popen([BIN, "--db", str(db)] + [str(a) for a in args], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, env=_env(env))
    peak = 0
    while p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/status") as f:
                found = re.search(r"VmHWM:\s+(\d+)", f.read())
            peak = max(peak, int(found.group(1)) if found else 0)
        except OSError:
            pass
    assert p.returncode == 0, f"podium {args} exited {p.returncode}"
    return peak


def asan_build():
    """Whether the podium under test is the AddressSanitizer build, whose quarantine keeps what
    was freed: its peak memory says nothing of what a program holds."""
    import subprocess
    from conftest import BIN
    return "libasan" in subprocess.run(["ldd", BIN], capture_output=True, text=True).stdout


def test_export_writes_a_file_part_by_part(tmp_path, malaysia):
    """export --files never holds a photo's file whole: it writes it a part (1 MiB) at a time
    into a temporary file, renamed when whole. Its peak memory with a 16 MB file grows by
    less than half of it over the same export without the files (read while it runs: a peak
    missed can only let this pass, never fail it)."""
    db, data, digest = imported_with_noise(tmp_path, malaysia, 2600, 2400)
    assert len(data) > 16 * 1024 * 1024
    out = tmp_path / "out"
    with_files_kb = peak_rss_kb("export", "--files", out, SLUG, db=db)
    assert (out / f"{digest}.png").read_bytes() == data
    assert [f.name for f in out.iterdir()] == [f"{digest}.png"]  # no temporary file left
    if asan_build():
        return
    without_kb = peak_rss_kb("export", SLUG, db=db)
    assert with_files_kb - without_kb < len(data) // 2048, (with_files_kb, without_kb)


def test_import_reads_a_file_in_parts(tmp_path, malaysia):
    """import --files reads a photo's file in parts: it hashes it, decodes it and hands it to
    the store from the file, never a copy of it whole (two were made before: 4.5 times the
    file in all). What still grows with the file is the store's bulk write, which holds the
    parts until it commits (SQLite's page cache of 64 MiB, PostgreSQL's rows for COPY):
    compared with a flat file of the same pixels (a few KB, as costly to decode), a 17 MB file
    of noise adds less than three times its size (2.4 times measured)."""
    import copy
    noise = noise_png(2600, 2400)
    peaks = {}
    for name, data in [("noise", noise), ("flat", png_of(Image.new("RGB", (2600, 2400), (90, 60, 30))))]:
        src = tmp_path / name
        src.mkdir()
        digest = hashlib.sha256(data).hexdigest()
        (src / f"{digest}.png").write_bytes(data)
        doc = copy.deepcopy(malaysia)
        doc["programs"][0]["articles"][0]["photos"][0]["file"] = digest
        db = tmp_path / f"{name}.db"
        peaks[name] = peak_rss_kb("import", "--files", src, write_doc(tmp_path / f"{name}.json", doc), db=db)
        assert execute(db, f"SELECT count(*) FROM blob WHERE hash = '{digest}'") == [(1,)]
    if asan_build():
        return
    assert peaks["noise"] - peaks["flat"] < 3 * len(noise) // 1024, peaks
