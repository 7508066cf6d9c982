"""Runs QualCoder's own REFI-QDA project exporter (src/qualcoder/refi.py,
unmodified) headless: Qt and GUI helpers are stubbed, the project is a
SQLite database in QualCoder's schema holding fieldvault's redacted source
as QualCoder would after importing our .qdpx and coding it. The XML and the
plain-text files are written the way RefiExport.export_project writes them
(sources/ folder, utf-8-sig), without its dialogs."""
import sys, types, os, sqlite3, zipfile

class _Dialog:  # stands in for QtWidgets.QDialog
    def __init__(self, *a, **k): pass
qt = types.ModuleType("PyQt6"); qtw = types.ModuleType("PyQt6.QtWidgets"); qtc = types.ModuleType("PyQt6.QtCore")
qtw.QDialog = _Dialog; qt.QtWidgets = qtw; qt.QtCore = qtc
sys.modules.update({"PyQt6": qt, "PyQt6.QtWidgets": qtw, "PyQt6.QtCore": qtc})
for name, attrs in {
    "qualcoder.color_selector": {"colors": [], "color_matcher": lambda *a: None},
    "qualcoder.GUI": {},
    "qualcoder.GUI.ui_dialog_refi_export_endings": {"Ui_Dialog_refi_export_line_endings": object},
    "qualcoder.helpers": {"Message": object},
}.items():
    m = types.ModuleType(name); m.__dict__.update(attrs); sys.modules[name] = m
sys.path.insert(0, os.path.dirname(__file__))
from qualcoder.refi import RefiExport

text = open(sys.argv[1], encoding="utf-8").read()
out = sys.argv[2]
db = sqlite3.connect(":memory:")
db.executescript("""
create table project(date text, memo text);
create table source(id integer primary key, name text, fulltext text, mediapath text, memo text, owner text, date text);
create table code_cat(catid integer primary key, name text, owner text, date text, memo text, supercatid integer);
create table code_name(cid integer primary key, name text, memo text, owner text, date text, catid integer, color text, supercid integer);
create table code_text(cid integer, fid integer, seltext text, pos0 integer, pos1 integer, owner text, date text, memo text);
create table code_image(owner text); create table code_av(owner text);
create table cases(caseid integer primary key, name text, memo text, owner text, date text);
create table case_text(caseid integer, fid integer, pos0 integer, pos1 integer, owner text, date text, memo text);
create table attribute_type(name text, memo text, caseOrFile text, valuetype text);
create table attribute(name text, value text, id integer, attr_type text, date text, owner text);
create table journal(name text, jentry text, date text, owner text);
""")
now = "2024-08-02 11:00:00"
db.execute("insert into project values ('2024-08-01 10:00:00', 'Coding of fieldvault transcripts')")
db.execute("insert into source values (1, 'Interview 1 (ru, 2021-05)', ?, NULL, '', 'coder', ?)", (text, now))
db.execute("insert into code_cat values (1, 'Money', 'coder', ?, '', NULL)", (now,))
db.execute("insert into code_name values (1, 'activism', '', 'coder', ?, NULL, '#F781F3', NULL)", (now,))
db.execute("insert into code_name values (2, 'grants', 'Funding from foreign donors', 'coder', ?, 1, '#81BEF7', NULL)", (now,))
db.execute("insert into code_name values (3, 'cuts', '', 'coder', ?, NULL, '#FF0000', 2)", (now,))
def code(cid, piece, memo=""):
    a = text.index(piece); b = a + len(piece)
    db.execute("insert into code_text values (?, 1, ?, ?, ?, 'coder', ?, ?)", (cid, text[a:b], a, b, now, memo))
code(1, "Мы боремся за права людей 😀 уже десять лет.")
code(2, "А как с финансированием?\nRespondent 26: Денег нет, гранты закрыли после 2022 года.", "Asked and answered across two turns")
code(3, "Денег нет")
db.execute("insert into cases values (1, 'Respondent 26', '', 'coder', ?)", (now,))
db.execute("insert into attribute_type values ('descriptor', '', 'case', 'character')")
db.execute("insert into attribute values ('descriptor', 'representative of a CSO', 1, 'case', ?, 'coder')", (now,))
db.execute("insert into journal values ('Coding journal', 'First pass done.', ?, 'coder')", (now,))
db.commit()

class App:
    conn = db; project_name = "fieldvault_coding.qda"; project_path = "/nonexistent"; version = "QualCoder 3.7"
    settings = {"codername": "coder", "directory": "/tmp", "fontsize": 10, "font": "x"}
    def get_annotations(self): return []

e = RefiExport.__new__(RefiExport)
e.app = App(); e.parent_textedit = None; e.export_type = "project"; e.xml = ""; e.tree = None
e.guids = []; e.note_files = []; e.variables = []; e.categories = []; e.codes = []; e.users = []; e.sources = []
e.get_categories(); e.get_codes(); e.get_users(); e.get_sources(); e.annotations = []
e.project_xml()
# shutil.make_archive(prep_path, 'zip', prep_path) stores the folder entry too.
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("project.qde", e.xml.encode("utf-8"))
    z.writestr("sources/", b"")
    for s in e.sources:
        if s["plaintext_filename"] is not None:
            z.writestr("sources/" + s["plaintext_filename"], s["fulltext"].encode("utf-8-sig"))
    for name, body in e.note_files:
        z.writestr("sources/" + name, body.encode("utf-8-sig"))
print("wrote", out)
