//! What Python code run during a build writes, read without running it.
//!
//! ML images run Python while they build: `python -c "…from_pretrained('x')"`
//! fills the Hugging Face cache, `python train.py` saves a model, `nltk.download`
//! fills `~/nltk_data`. What those steps write is runtime data, and a split must
//! carry it. This module reads a piece of Python source (the code of `python -c`,
//! or a project script from the build context) lexically — strings, comments,
//! brackets, indentation and calls, no evaluation — and reports:
//!
//! - the model caches that known download calls fill ([`Cache`]), with the folder
//!   when the call names one (`cache_dir=`, `download_root=`, `local_dir=` …);
//! - the paths that write calls name (`torch.save(m, "/models/m.pt")`,
//!   `open("out.csv", "w")`, `os.makedirs(…)`), as written;
//! - the first call whose writes it cannot tell ([`Reading::unknown`]): in the
//!   strict reading (code given on the command line) any call it does not know;
//!   in the script reading, writes through a variable, subprocesses and
//!   `os.system`.
//!
//! Each finding says whether it surely runs ([`Found::sure`]): a call at the top
//! level, in the `if __name__ == "__main__":` block, in `with`/`try` bodies and in
//! the bodies of functions called from there runs; one under another `if`, a
//! loop, an `except` or an uncalled function may not. Reading is best effort and
//! never panics on any input.

/// A model cache a known download call fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cache {
    /// Hugging Face hub (transformers, diffusers, datasets, sentence-transformers
    /// since 2.3, timm, `huggingface_hub`): `HF_HUB_CACHE`, `HF_HOME`,
    /// `$XDG_CACHE_HOME/huggingface`, `~/.cache/huggingface`.
    HuggingFace,
    /// torch hub and torchvision weights: `TORCH_HOME`, `$XDG_CACHE_HOME/torch`,
    /// `~/.cache/torch`.
    Torch,
    /// Keras applications and `get_file`: `KERAS_HOME`, `~/.keras`.
    Keras,
    /// `nltk.download`: `~/nltk_data` unless a folder is named.
    Nltk,
    /// openai-whisper `load_model`: `$XDG_CACHE_HOME/whisper`, `~/.cache/whisper`.
    Whisper,
    /// OpenAI CLIP `clip.load`: `~/.cache/clip`.
    Clip,
    /// gensim's downloader: `GENSIM_DATA_DIR`, `~/gensim-data`.
    Gensim,
    /// EasyOCR `Reader`: `MODULE_PATH/model`, `~/.EasyOCR/model`.
    EasyOcr,
    /// TensorFlow Hub: `TFHUB_CACHE_DIR`, `$TMPDIR/tfhub_modules`.
    TfHub,
    /// sentence-transformers with `SENTENCE_TRANSFORMERS_HOME` set (else the
    /// Hugging Face cache).
    SentenceTransformers,
}

impl Cache {
    /// The name users know the cache by, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Cache::HuggingFace => "the Hugging Face cache",
            Cache::Torch => "the torch hub cache",
            Cache::Keras => "the Keras cache",
            Cache::Nltk => "NLTK data",
            Cache::Whisper => "the whisper cache",
            Cache::Clip => "the CLIP cache",
            Cache::Gensim => "gensim data",
            Cache::EasyOcr => "the EasyOCR models",
            Cache::TfHub => "the TensorFlow Hub cache",
            Cache::SentenceTransformers => "the Hugging Face cache (sentence-transformers)",
        }
    }
}

/// Where a cache's default folder is, when none of its variables is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultFolder {
    /// `$XDG_CACHE_HOME/<name>`, else `~/.cache/<name>`.
    XdgCache(&'static str),
    /// `~/<path>`.
    Home(&'static str),
    /// `$TMPDIR/<name>`, else `/tmp/<name>`.
    Temp(&'static str),
}

/// Where a cache lives: the variables that name its folder (the first set
/// wins), its default, and variables that make the folder depend on what
/// exists at run time (then it cannot be told).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub variables: &'static [&'static str],
    pub default: DefaultFolder,
    pub undecidable_with: &'static [&'static str],
}

const HF_VARIABLES: &[&str] = &[
    "HF_HUB_CACHE",
    "HUGGINGFACE_HUB_CACHE",
    "TRANSFORMERS_CACHE",
    "HF_HOME",
];

impl Cache {
    /// Where the cache's files go (each library's documentation, checked
    /// 2026-12: huggingface_hub constants, torch.hub.get_dir, keras
    /// get_file, nltk.downloader.default_download_dir, whisper and clip
    /// `download_root`, gensim.downloader, easyocr, tensorflow_hub resolver).
    pub fn location(self) -> Location {
        use DefaultFolder::{Home, Temp, XdgCache};
        let (variables, default, undecidable_with): (
            &'static [&'static str],
            _,
            &'static [&'static str],
        ) = match self {
            Cache::HuggingFace => (HF_VARIABLES, XdgCache("huggingface"), &[]),
            Cache::SentenceTransformers => (
                &[
                    "SENTENCE_TRANSFORMERS_HOME",
                    "HF_HUB_CACHE",
                    "HUGGINGFACE_HUB_CACHE",
                    "TRANSFORMERS_CACHE",
                    "HF_HOME",
                ],
                XdgCache("huggingface"),
                &[],
            ),
            Cache::Torch => (&["TORCH_HOME"], XdgCache("torch"), &[]),
            Cache::Whisper => (&[], XdgCache("whisper"), &[]),
            Cache::Clip => (&[], Home(".cache/clip"), &[]),
            Cache::Keras => (&["KERAS_HOME"], Home(".keras"), &[]),
            // nltk.download picks the first folder of its search path that
            // exists (NLTK_DATA first), else ~/nltk_data
            Cache::Nltk => (&[], Home("nltk_data"), &["NLTK_DATA"]),
            Cache::Gensim => (&["GENSIM_DATA_DIR"], Home("gensim-data"), &[]),
            Cache::EasyOcr => (
                &["EASYOCR_MODULE_PATH", "MODULE_PATH"],
                Home(".EasyOCR"),
                &[],
            ),
            Cache::TfHub => (&["TFHUB_CACHE_DIR"], Temp("tfhub_modules"), &[]),
        };
        Location {
            variables,
            default,
            undecidable_with,
        }
    }
}

/// Something the code does that matters to a split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> {
    pub what: T,
    /// The call as written (shortened), for messages.
    pub call: String,
    /// The call runs whenever the code runs (see the module docs).
    pub sure: bool,
}

/// A model cache filled, with the folder the call names (`cache_dir=`, …), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheWrite {
    pub cache: Cache,
    /// The folder the call names, as written (relative or absolute).
    pub dir: Option<String>,
}

/// What a reading found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    /// Model caches filled by known download calls.
    pub caches: Vec<Found<CacheWrite>>,
    /// Paths written by known write calls, as written (relative or absolute).
    pub writes: Vec<Found<String>>,
    /// Write calls whose path is not a literal (`torch.save(m, args.out)`).
    pub unnamed_writes: Vec<String>,
    /// The first call or statement whose effect the reading cannot tell.
    pub unknown: Option<String>,
}

/// How strictly calls the reader does not know are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Code given on the command line (`python -c`): every statement must be
    /// an import, a known call, or a plain expression; any other call is unknown.
    Strict,
    /// A project script: only write calls, downloads, subprocesses and
    /// `os.system` count; other calls are taken to write nothing.
    Script,
}

/// Reads `code` (see the module docs).
///
/// ```
/// use slimfile::pycode::{read, Cache, Mode};
/// let r = read("from transformers import AutoModel; AutoModel.from_pretrained('distilbert-base-uncased')", Mode::Strict);
/// assert_eq!(r.caches[0].what.cache, Cache::HuggingFace);
/// assert!(r.caches[0].sure && r.unknown.is_none());
/// let r = read("import joblib\nmodel = train()\njoblib.dump(model, '/models/model.joblib')\n", Mode::Script);
/// assert_eq!(r.writes[0].what, "/models/model.joblib");
/// assert!(read("import os; os.system('make')", Mode::Strict).unknown.is_some());
/// ```
pub fn read(code: &str, mode: Mode) -> Reading {
    let lines = logical_lines(code);
    let mut reader = Reader {
        lines: &lines,
        mode,
        out: Reading::default(),
        bindings: Vec::new(),
    };
    reader.run();
    reader.out
}

/// A token of the lexical reading.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A name or keyword (dots are separate tokens).
    Name(String),
    /// A string literal: its value when it has no `{…}` interpolation.
    Str(Option<String>),
    /// Any other character, brackets and operators included.
    Punct(char),
    /// A number or anything else read as one word.
    Other,
}

/// One logical line: its indentation and tokens.
#[derive(Debug, Clone)]
struct Line {
    indent: usize,
    toks: Vec<Tok>,
}

/// Splits source into logical lines: brackets and backslashes join physical
/// lines, `;` at bracket depth 0 splits them, comments are dropped.
fn logical_lines(code: &str) -> Vec<Line> {
    let chars: Vec<char> = code.chars().collect();
    let mut lines = Vec::new();
    let mut toks: Vec<Tok> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut indent = 0usize;
    let mut at_line_start = true;
    let flush = |toks: &mut Vec<Tok>, lines: &mut Vec<Line>, indent: usize| {
        if !toks.is_empty() {
            lines.push(Line {
                indent,
                toks: std::mem::take(toks),
            });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if at_line_start {
            let mut n = 0;
            while i < chars.len() && matches!(chars[i], ' ' | '\t') {
                n += if chars[i] == '\t' { 8 } else { 1 };
                i += 1;
            }
            indent = n;
            at_line_start = false;
            continue;
        }
        match c {
            '\n' | '\r' => {
                i += 1;
                if depth == 0 {
                    flush(&mut toks, &mut lines, indent);
                    at_line_start = true;
                }
            }
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ';' if depth == 0 => {
                flush(&mut toks, &mut lines, indent);
                i += 1;
            }
            ' ' | '\t' => i += 1,
            '\'' | '"' => {
                let (tok, next) = string_at(&chars, i, "");
                toks.push(tok);
                i = next;
            }
            c if c.is_alphanumeric() || c == '_' => {
                let (tok, next) = word_at(&chars, i);
                toks.push(tok);
                i = next;
            }
            '(' | '[' | '{' => {
                depth += 1;
                toks.push(Tok::Punct(c));
                i += 1;
            }
            ')' | ']' | '}' => {
                depth = depth.saturating_sub(1);
                toks.push(Tok::Punct(c));
                i += 1;
            }
            _ => {
                toks.push(Tok::Punct(c));
                i += 1;
            }
        }
    }
    flush(&mut toks, &mut lines, indent);
    lines
}

/// The name, number or prefixed string (`r"…"`, `f'…'`) starting at `chars[i]`.
fn word_at(chars: &[char], i: usize) -> (Tok, usize) {
    let start = i;
    let mut j = i;
    if chars[i].is_ascii_digit() {
        while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '.') {
            j += 1;
        }
        return (Tok::Other, j);
    }
    while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
        j += 1;
    }
    let word: String = chars[start..j].iter().collect();
    let prefix = word.to_ascii_lowercase();
    let is_prefix = matches!(
        prefix.as_str(),
        "r" | "b" | "u" | "f" | "rb" | "br" | "fr" | "rf"
    );
    if is_prefix && matches!(chars.get(j), Some('\'' | '"')) {
        return string_at(chars, j, &prefix);
    }
    (Tok::Name(word), j)
}

/// The string literal starting at `chars[i]` (a quote), with its prefix
/// (`r`, `f` …): the token and the index after it.
fn string_at(chars: &[char], i: usize, prefix: &str) -> (Tok, usize) {
    let q = chars[i];
    let triple = chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q);
    let raw = prefix.contains('r');
    let mut j = if triple { i + 3 } else { i + 1 };
    let mut value = String::new();
    while j < chars.len() {
        let c = chars[j];
        if c == '\\' && !raw {
            if let Some(&n) = chars.get(j + 1) {
                value.push(match n {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
            }
            j += 2;
            continue;
        }
        if c == q && (!triple || (chars.get(j + 1) == Some(&q) && chars.get(j + 2) == Some(&q))) {
            j += if triple { 3 } else { 1 };
            let interpolated = prefix.contains('f') && value.contains('{');
            return (Tok::Str((!interpolated).then_some(value)), j);
        }
        if c == '\n' && !triple {
            break;
        }
        value.push(c);
        j += 1;
    }
    (Tok::Str(None), j)
}

/// A call found in a line: the dotted callee and its arguments.
#[derive(Debug, Clone)]
struct Call {
    callee: String,
    /// Positional arguments (tokens of each).
    args: Vec<Vec<Tok>>,
    /// Keyword arguments: name and tokens.
    kwargs: Vec<(String, Vec<Tok>)>,
}

impl Call {
    fn shown(&self) -> String {
        format!("{}(…)", self.callee)
    }

    fn kwarg(&self, name: &str) -> Option<&[Tok]> {
        self.kwargs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_slice())
    }

    fn arg(&self, n: usize) -> Option<&[Tok]> {
        self.args.get(n).map(Vec::as_slice)
    }
}

/// The calls in `toks`, outermost first, nested ones after.
fn calls_in(toks: &[Tok]) -> Vec<Call> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Tok::Name(_) = &toks[i] {
            // a dotted name: NAME (. NAME)*
            let start = i;
            let mut name = String::new();
            let mut j = i;
            while let Some(Tok::Name(n)) = toks.get(j) {
                name.push_str(n);
                if toks.get(j + 1) == Some(&Tok::Punct('.'))
                    && matches!(toks.get(j + 2), Some(Tok::Name(_)))
                {
                    name.push('.');
                    j += 2;
                } else {
                    break;
                }
            }
            let after_dot = start > 0 && toks[start - 1] == Tok::Punct('.');
            if toks.get(j + 1) == Some(&Tok::Punct('(')) {
                let close = matching(toks, j + 1);
                let inner = &toks[j + 2..close.min(toks.len())];
                let (args, kwargs) = split_args(inner);
                let callee = if after_dot { format!(".{name}") } else { name };
                out.push(Call {
                    callee,
                    args,
                    kwargs,
                });
                // nested calls inside the arguments
                out.extend(calls_in(inner));
                i = close + 1;
                continue;
            }
            i = j + 1;
            continue;
        }
        i += 1;
    }
    out
}

/// The index of the bracket closing the one at `open` (or the end).
fn matching(toks: &[Tok], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

type Args = (Vec<Vec<Tok>>, Vec<(String, Vec<Tok>)>);

/// Arguments split at commas of depth 0: positional and `name=value`.
fn split_args(toks: &[Tok]) -> Args {
    let mut parts: Vec<Vec<Tok>> = vec![Vec::new()];
    let mut depth = 0usize;
    for t in toks {
        match t {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
            Tok::Punct(',') if depth == 0 => {
                parts.push(Vec::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = parts.last_mut() {
            last.push(t.clone());
        }
    }
    let mut args = Vec::new();
    let mut kwargs = Vec::new();
    for p in parts.into_iter().filter(|p| !p.is_empty()) {
        match p.as_slice() {
            [Tok::Name(k), Tok::Punct('='), rest @ ..] if !rest.starts_with(&[Tok::Punct('=')]) => {
                kwargs.push((k.clone(), rest.to_vec()));
            }
            _ => args.push(p),
        }
    }
    (args, kwargs)
}

/// Calls whose first argument names a model and which download it into a cache.
const DOWNLOADS: &[(&str, Cache)] = &[
    ("from_pretrained", Cache::HuggingFace),
    ("snapshot_download", Cache::HuggingFace),
    ("hf_hub_download", Cache::HuggingFace),
    ("load_dataset", Cache::HuggingFace),
    ("pipeline", Cache::HuggingFace),
    ("SentenceTransformer", Cache::SentenceTransformers),
    ("CrossEncoder", Cache::SentenceTransformers),
    ("create_model", Cache::HuggingFace),
    ("torch.hub.load", Cache::Torch),
    ("load_state_dict_from_url", Cache::Torch),
    ("nltk.download", Cache::Nltk),
    ("whisper.load_model", Cache::Whisper),
    ("clip.load", Cache::Clip),
    ("api.load", Cache::Gensim),
    ("gensim.downloader.load", Cache::Gensim),
    ("easyocr.Reader", Cache::EasyOcr),
    ("get_file", Cache::Keras),
    ("hub.KerasLayer", Cache::TfHub),
    ("hub.load", Cache::TfHub),
    ("tensorflow_hub.load", Cache::TfHub),
    ("hub.resolve", Cache::TfHub),
];

/// Keyword arguments that name the folder a download goes to.
const CACHE_DIR_KWARGS: &[&str] = &[
    "cache_dir",
    "download_root",
    "cache_folder",
    "download_dir",
    "model_dir",
    "model_storage_directory",
    "cache_subdir",
];

/// Write calls: the callee's last name and which positional argument is the path.
const WRITES: &[(&str, usize)] = &[
    ("torch.save", 1),
    ("joblib.dump", 1),
    ("dump", 1),
    ("np.save", 0),
    ("numpy.save", 0),
    ("np.savez", 0),
    ("np.savez_compressed", 0),
    ("np.savetxt", 0),
    ("save_pretrained", 0),
    ("save_model", 0),
    ("save_weights", 0),
    ("save", 0),
    ("to_csv", 0),
    ("to_parquet", 0),
    ("to_json", 0),
    ("to_pickle", 0),
    ("to_feather", 0),
    ("to_excel", 0),
    ("to_hdf", 0),
    ("export", 0),
    ("export_model", 0),
    ("write_text", usize::MAX),
    ("write_bytes", usize::MAX),
    ("makedirs", 0),
    ("mkdir", 0),
    ("urlretrieve", 1),
    ("download_url_to_file", 1),
    ("copyfile", 1),
    ("copy", 1),
    ("copy2", 1),
    ("copytree", 1),
    ("move", 1),
    ("extractall", 0),
    ("unpack_archive", 1),
    ("savefig", 0),
    ("imwrite", 0),
];

/// Keyword arguments that name where something is written.
const OUTPUT_KWARGS: &[&str] = &[
    "output_dir",
    "save_dir",
    "save_path",
    "local_dir",
    "out_dir",
    "output_path",
    "path_or_buf",
    "filepath",
    "export_dir",
    "logging_dir",
];

/// Calls that run other programs: what they write cannot be told.
const RUNS_PROGRAMS: &[&str] = &[
    "os.system",
    "os.popen",
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
    "os.execv",
    "os.execvp",
    "exec",
    "eval",
];

/// Calls a strict reading takes to write nothing.
const HARMLESS: &[&str] = &[
    "print",
    "len",
    "str",
    "repr",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "tuple",
    "set",
    "sorted",
    "getattr",
    "hasattr",
    "isinstance",
    "format",
    "__import__",
    "importlib.import_module",
    "import_module",
    "sys.exit",
    "exit",
    "assert",
    "is_available",
    "device_count",
    "get_device_name",
    "version",
    "list_physical_devices",
    "get_config",
    "show_config",
    "show",
    "spacy.load",
    "json.load",
    "json.loads",
    "torch.load",
    "joblib.load",
    "pickle.load",
    "np.load",
    "yaml.safe_load",
    "compile_dir",
    "compileall.compile_dir",
    "platform.python_version",
    "python_version",
    "environ.get",
    "os.environ.get",
    "getenv",
    "os.getenv",
    "join",
    "os.path.join",
    "Path",
    "pathlib.Path",
    "expanduser",
    "os.path.expanduser",
    "spacy.cli.download",
    "cli.download",
];

/// Python keywords that open a block.
const BLOCK_KEYWORDS: &[&str] = &[
    "if", "elif", "else", "for", "while", "try", "except", "finally", "with", "def", "class",
    "async",
];

/// One open block while reading.
#[derive(Debug, Clone)]
struct Block {
    indent: usize,
    /// Statements in it surely run when the block's header does.
    sure: bool,
    /// `def NAME`: the function's name.
    function: Option<String>,
}

struct Reader<'a> {
    lines: &'a [Line],
    mode: Mode,
    out: Reading,
    /// Names bound to string literals at the top level (`MODEL_DIR = "/models"`).
    bindings: Vec<(String, String)>,
}

impl Reader<'_> {
    fn run(&mut self) {
        let called = self.functions_called_surely();
        let mut stack: Vec<Block> = Vec::new();
        for line in self.lines {
            while stack.last().is_some_and(|b| line.indent <= b.indent) {
                stack.pop();
            }
            let in_function = stack.iter().find_map(|b| b.function.clone());
            let sure = stack.iter().all(|b| b.sure)
                && in_function
                    .as_ref()
                    .is_none_or(|f| called.iter().any(|c| c == f));
            let toks = &line.toks;
            if let Some(Tok::Name(k)) = toks.first()
                && BLOCK_KEYWORDS.contains(&k.as_str())
                && toks.last() == Some(&Tok::Punct(':'))
            {
                // the header's own calls (`with open(p, "w") as f:`, `for x in f():`) run
                self.statement(&toks[1..toks.len() - 1], sure && k != "elif", true);
                stack.push(Block {
                    indent: line.indent,
                    sure: block_is_sure(toks),
                    function: function_name(toks),
                });
                continue;
            }
            if stack.is_empty() {
                self.bind(toks);
            }
            self.statement(toks, sure, false);
        }
    }

    /// Functions called from code that surely runs (top level, main guard).
    fn functions_called_surely(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack: Vec<Block> = Vec::new();
        for line in self.lines {
            while stack.last().is_some_and(|b| line.indent <= b.indent) {
                stack.pop();
            }
            let toks = &line.toks;
            let header = matches!(toks.first(), Some(Tok::Name(k)) if BLOCK_KEYWORDS.contains(&k.as_str()))
                && toks.last() == Some(&Tok::Punct(':'));
            if header {
                stack.push(Block {
                    indent: line.indent,
                    sure: block_is_sure(toks),
                    function: function_name(toks),
                });
                continue;
            }
            if stack.iter().all(|b| b.sure && b.function.is_none()) {
                for c in calls_in(toks) {
                    if !c.callee.contains('.') {
                        out.push(c.callee);
                    }
                }
            }
        }
        out
    }

    /// `NAME = "literal"` at the top level.
    fn bind(&mut self, toks: &[Tok]) {
        if let [Tok::Name(n), Tok::Punct('='), Tok::Str(Some(v))] = toks {
            self.bindings.push((n.clone(), v.clone()));
        }
    }

    /// The literal path a value's tokens name: a string, a bound name,
    /// `os.path.join` / `Path(…) / "x"` of literals.
    fn literal(&self, toks: &[Tok]) -> Option<String> {
        match toks {
            [Tok::Str(Some(v))] => Some(v.clone()),
            [Tok::Name(n)] => self
                .bindings
                .iter()
                .rev()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone()),
            _ => {
                let calls = calls_in(toks);
                let first = calls.first()?;
                let joins = matches!(first.callee.as_str(), "os.path.join" | "join");
                let is_path = matches!(first.callee.as_str(), "Path" | "pathlib.Path");
                if !(joins || is_path) || !toks.ends_with(&[Tok::Punct(')')]) {
                    return None;
                }
                let parts: Option<Vec<String>> =
                    first.args.iter().map(|a| self.literal(a)).collect();
                let parts = parts?;
                Some(parts.iter().fold(String::new(), |acc, p| {
                    if p.starts_with('/') || acc.is_empty() {
                        p.clone()
                    } else {
                        format!("{}/{p}", acc.trim_end_matches('/'))
                    }
                }))
            }
        }
    }

    /// Reads one statement (or a block header's expression).
    fn statement(&mut self, toks: &[Tok], sure: bool, header: bool) {
        if matches!(toks.first(), Some(Tok::Name(k)) if k == "import" || k == "from") {
            return;
        }
        for (n, call) in calls_in(toks).iter().enumerate() {
            let known = self.call(call, sure);
            // arguments of a known call (`print(x.from_pretrained(…))`) are read too;
            // in the strict reading an unknown outermost call is unknown
            if !known && n == 0 && self.mode == Mode::Strict && !header {
                self.unknown(call.shown());
            }
        }
    }

    fn unknown(&mut self, what: String) {
        self.out.unknown.get_or_insert(what);
    }

    /// Reads one call; true when the reader knows what it does.
    fn call(&mut self, call: &Call, sure: bool) -> bool {
        let callee = call.callee.trim_start_matches('.');
        let last = callee.rsplit('.').next().unwrap_or(callee);
        if RUNS_PROGRAMS.contains(&callee) {
            self.unknown(call.shown());
            return false;
        }
        if callee == "open" || callee.ends_with(".open") {
            self.open(call, sure);
            return true;
        }
        let no_weights = call
            .kwarg("weights")
            .is_some_and(|v| v == [Tok::Name("None".into())]);
        if callee.contains("applications.") && no_weights {
            return true; // a Keras application without ImageNet weights downloads nothing
        }
        if let Some(cache) = download_cache(callee, last, call) {
            let dir = CACHE_DIR_KWARGS
                .iter()
                .find_map(|k| call.kwarg(k))
                .and_then(|v| self.literal(v));
            let named_dir = call.kwarg("local_dir").and_then(|v| self.literal(v));
            if let Some(local) = named_dir {
                self.out.writes.push(Found {
                    what: local,
                    call: call.shown(),
                    sure,
                });
            } else {
                let dir_unreadable = CACHE_DIR_KWARGS
                    .iter()
                    .chain(["local_dir"].iter())
                    .any(|k| call.kwarg(k).is_some())
                    && dir.is_none();
                if dir_unreadable {
                    self.out.unnamed_writes.push(call.shown());
                }
                self.out.caches.push(Found {
                    what: CacheWrite { cache, dir },
                    call: call.shown(),
                    sure,
                });
            }
            return true;
        }
        if let Some(&(_, n)) = WRITES
            .iter()
            .find(|(name, _)| *name == callee || *name == last)
        {
            self.write(call, n, sure);
            return true;
        }
        if let Some((_, v)) = call
            .kwargs
            .iter()
            .find(|(k, _)| OUTPUT_KWARGS.contains(&k.as_str()))
        {
            match self.literal(v) {
                Some(p) => self.out.writes.push(Found {
                    what: p,
                    call: call.shown(),
                    sure,
                }),
                None => self.out.unnamed_writes.push(call.shown()),
            }
            return true;
        }
        HARMLESS.contains(&callee) || HARMLESS.contains(&last)
    }

    /// `open(path, mode)`: a write when the mode writes.
    fn open(&mut self, call: &Call, sure: bool) {
        let mode = call
            .kwarg("mode")
            .or_else(|| call.arg(1))
            .and_then(|m| self.literal(m))
            .unwrap_or_else(|| "r".to_string());
        if !mode.contains(['w', 'a', 'x', '+']) {
            return;
        }
        match call
            .kwarg("file")
            .or_else(|| call.arg(0))
            .and_then(|p| self.literal(p))
        {
            Some(p) => self.out.writes.push(Found {
                what: p,
                call: call.shown(),
                sure,
            }),
            None => self.out.unnamed_writes.push(call.shown()),
        }
    }

    /// A write call whose path is positional argument `n` (`usize::MAX`: the
    /// receiver, `Path("x").write_text(…)`, not read).
    fn write(&mut self, call: &Call, n: usize, sure: bool) {
        let path = OUTPUT_KWARGS
            .iter()
            .chain(["path", "fname", "filename", "file", "dst", "f"].iter())
            .find_map(|k| call.kwarg(k))
            .or_else(|| call.arg(n))
            .and_then(|p| self.literal(p));
        match path {
            Some(p) => self.out.writes.push(Found {
                what: p,
                call: call.shown(),
                sure,
            }),
            None => self.out.unnamed_writes.push(call.shown()),
        }
    }
}

/// The cache a download call fills, if `callee` is one: a dotted name of
/// [`DOWNLOADS`] matches the whole callee, an undotted one its last name;
/// Keras applications (`keras.applications.ResNet50()`) download ImageNet
/// weights unless `weights=None`.
fn download_cache(callee: &str, last: &str, call: &Call) -> Option<Cache> {
    if callee.contains("applications.") {
        return Some(Cache::Keras);
    }
    let (_, cache) = DOWNLOADS
        .iter()
        .find(|(name, _)| *name == callee || (!name.contains('.') && *name == last))?;
    // `create_model` (timm) downloads only with `pretrained=True`
    if last == "create_model"
        && !call
            .kwarg("pretrained")
            .is_some_and(|v| v == [Tok::Name("True".into())])
    {
        return None;
    }
    Some(*cache)
}

/// True when statements under this block header run whenever the header does.
fn block_is_sure(toks: &[Tok]) -> bool {
    match toks.first() {
        Some(Tok::Name(k)) if k == "with" || k == "try" || k == "finally" => true,
        Some(Tok::Name(k)) if k == "def" || k == "async" => true,
        Some(Tok::Name(k)) if k == "if" => is_main_guard(toks),
        _ => false,
    }
}

/// `if __name__ == "__main__":`
fn is_main_guard(toks: &[Tok]) -> bool {
    toks.iter().any(|t| *t == Tok::Name("__name__".into()))
        && toks.iter().any(|t| *t == Tok::Str(Some("__main__".into())))
}

/// `def NAME(…):` → NAME.
fn function_name(toks: &[Tok]) -> Option<String> {
    let i = toks.iter().position(|t| *t == Tok::Name("def".into()))?;
    match toks.get(i + 1) {
        Some(Tok::Name(n)) => Some(n.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict(code: &str) -> Reading {
        read(code, Mode::Strict)
    }

    #[test]
    fn hugging_face_downloads_fill_the_cache() {
        let r = strict(
            "from transformers import AutoTokenizer, AutoModel; AutoTokenizer.from_pretrained('x'); AutoModel.from_pretrained('x')",
        );
        assert_eq!(r.caches.len(), 2);
        assert!(r.unknown.is_none());
        let r = strict(
            "from huggingface_hub import snapshot_download; snapshot_download(repo_id='x', local_dir='/models/x')",
        );
        assert_eq!(r.writes[0].what, "/models/x");
        assert!(r.caches.is_empty());
        let r = strict(
            "from sentence_transformers import SentenceTransformer as S\nS('all-MiniLM-L6-v2', cache_folder='/models')",
        );
        // an alias is not known: the strict reading says so
        assert!(r.unknown.is_some());
        let r = strict(
            "from sentence_transformers import SentenceTransformer; SentenceTransformer('m', cache_folder='/models')",
        );
        assert_eq!(r.caches[0].what.dir.as_deref(), Some("/models"));
    }

    #[test]
    fn other_caches() {
        assert_eq!(
            strict("import nltk; nltk.download('punkt')").caches[0]
                .what
                .cache,
            Cache::Nltk
        );
        let r =
            strict("import nltk; nltk.download('stopwords', download_dir='/usr/share/nltk_data')");
        assert_eq!(
            r.caches[0].what.dir.as_deref(),
            Some("/usr/share/nltk_data")
        );
        assert_eq!(
            strict("import whisper; whisper.load_model('base')").caches[0]
                .what
                .cache,
            Cache::Whisper
        );
        assert_eq!(
            strict("import torch; torch.hub.load('pytorch/vision', 'resnet18', pretrained=True)")
                .caches[0]
                .what
                .cache,
            Cache::Torch
        );
        let r = strict("import timm; timm.create_model('resnet50')");
        assert!(r.caches.is_empty());
        let r = strict("import timm; timm.create_model('resnet50', pretrained=True)");
        assert_eq!(r.caches[0].what.cache, Cache::HuggingFace);
    }

    #[test]
    fn harmless_code_is_known() {
        for code in [
            "import torch; print(torch.__version__)",
            "import torch; print(torch.cuda.is_available())",
            "import compileall; compileall.compile_dir('/app')",
            "import sklearn, numpy",
            "import tensorflow as tf; print(tf.config.list_physical_devices('GPU'))",
        ] {
            let r = strict(code);
            assert!(r.unknown.is_none(), "{code}: {r:?}");
            assert!(r.caches.is_empty() && r.writes.is_empty(), "{code}");
        }
    }

    #[test]
    fn unknown_calls_are_unknown_in_the_strict_reading_only() {
        assert_eq!(
            strict("from rembg import new_session; new_session()")
                .unknown
                .as_deref(),
            Some("new_session(…)")
        );
        assert!(
            read(
                "from rembg import new_session\nnew_session()\n",
                Mode::Script
            )
            .unknown
            .is_none()
        );
        assert!(
            read(
                "import subprocess\nsubprocess.run(['make'])\n",
                Mode::Script
            )
            .unknown
            .is_some()
        );
    }

    #[test]
    fn writes_and_their_certainty() {
        let code = r#"
import joblib, argparse
MODEL_DIR = "/models"

def train():
    return 1

def main():
    m = train()
    joblib.dump(m, os.path.join(MODEL_DIR, "model.joblib"))
    if False:
        torch.save(m, "/never/x.pt")

def unused():
    open("/unused.txt", "w")

if __name__ == "__main__":
    main()
    with open("metrics.json", "w") as f:
        f.write("{}")
"#;
        let r = read(code, Mode::Script);
        let w: Vec<(&str, bool)> = r.writes.iter().map(|f| (f.what.as_str(), f.sure)).collect();
        assert_eq!(
            w,
            [
                ("/models/model.joblib", true),
                ("/never/x.pt", false),
                ("/unused.txt", false),
                ("metrics.json", true)
            ]
        );
        assert!(r.unknown.is_none());
    }

    #[test]
    fn writes_through_variables_are_unnamed() {
        let r = read(
            "import joblib\nargs = parse()\njoblib.dump(model, args.out)\n",
            Mode::Script,
        );
        assert_eq!(r.unnamed_writes, ["joblib.dump(…)"]);
        let r = read(
            "args=parse()\nTrainingArguments(output_dir=args.out)\n",
            Mode::Script,
        );
        assert_eq!(r.unnamed_writes.len(), 1);
        let r = read("TrainingArguments(output_dir='/ckpt')\n", Mode::Script);
        assert_eq!(r.writes[0].what, "/ckpt");
    }

    #[test]
    fn open_for_reading_writes_nothing() {
        let r = read("data = open('/data/in.csv').read()\n", Mode::Script);
        assert!(r.writes.is_empty() && r.unnamed_writes.is_empty());
        let r = read("f = open('/out/x', mode='wb')\n", Mode::Script);
        assert_eq!(r.writes[0].what, "/out/x");
    }

    #[test]
    fn strings_comments_and_continuations() {
        let code = "x = 'a # not a comment' # a comment\ny = (\n  '/p'\n)\nz = \"\"\"multi\nline\"\"\"\nprint(x, \\\n y)\n";
        let lines = logical_lines(code);
        assert_eq!(lines.len(), 4);
        assert!(strict(code).unknown.is_none());
        assert_eq!(
            strict("print(f'{x}')").caches.len() + strict("print(f'{x}')").writes.len(),
            0
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for code in [
            "",
            "(",
            ")",
            "'",
            "\"\"\"",
            "f(",
            "a.b.(c",
            "def",
            "if:",
            "\\",
            "x=\n\t\t(",
            "é(ü)",
        ] {
            let _ = read(code, Mode::Strict);
            let _ = read(code, Mode::Script);
        }
    }

    #[test]
    fn keras_applications_download_unless_weights_none() {
        let r = strict("import tensorflow as tf; tf.keras.applications.MobileNetV2()");
        assert_eq!(r.caches[0].what.cache, Cache::Keras);
        let r = strict("import keras; keras.applications.ResNet50(weights=None)");
        assert!(r.caches.is_empty() && r.unknown.is_none());
    }
}
