//! The model of a Dockerfile: stages, their bases and the stage graph.
//!
//! References resolve as BuildKit resolves them (moby/buildkit,
//! `frontend/dockerfile/dockerfile2llb/convert.go` and `convert_runmount.go`):
//!
//! - `FROM x` is looked up, after expanding the global ARG defaults, among the
//!   stages defined *before* it (a stage never shadows an earlier FROM, nor
//!   its own); otherwise it is an image, or a named build context of that name.
//! - `COPY/ADD --from=x`: a value `strconv.Atoi` reads is a stage index (one
//!   not yet built is an error); any other value is looked up among *all*
//!   stage names, case-insensitively, the last stage of a name winning;
//!   otherwise an image or named context. Variables are not expanded.
//! - `RUN --mount=…,from=x`: names only (no index form); otherwise an image or
//!   named context.
//!
//! Named contexts (`docker build --build-context name=…`) replace an image
//! of that name, and even a stage of that name; the model cannot see them, so
//! passes never pick a stage name that the file uses as an image.
//!
//! Instructions are read through dockerfile-parser where it can
//! ([`crate::syntax::typed::read_values`]); see [`Model::understood`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::rc::Rc;

use crate::image::{self, ImageRef};
use crate::syntax::typed::{self, Read, Reading};
use crate::syntax::{Document, Instruction, Keyword};

/// One build stage (a FROM and the instructions up to the next FROM).
#[derive(Debug, Clone)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM in [`Document::instructions`].
    pub from: usize,
    /// Indices of all the stage's instructions, FROM included.
    pub instructions: Range<usize>,
    /// The stage name as written (`AS name`).
    pub name: Option<String>,
    pub name_span: Option<Range<usize>>,
    /// The `AS` word as written.
    pub as_span: Option<Range<usize>>,
    /// The base reference as written and its span.
    pub base_text: String,
    pub base_span: Range<usize>,
    /// The base as written, parsed (variables unexpanded).
    pub base: ImageRef,
    /// The base with global ARG defaults expanded, when they all have values.
    /// `None` when the base is an earlier stage.
    pub base_resolved: Option<ImageRef>,
    /// The base text with global ARG defaults expanded (`None` when a
    /// variable has no default): what BuildKit looks up among stage names.
    pub base_expanded: Option<String>,
    /// When the base is an earlier stage: its index.
    pub base_stage: Option<usize>,
    pub platform: Option<String>,
}

impl Stage {
    /// The name other instructions may use to refer to this stage.
    pub fn matches(&self, reference: &str) -> bool {
        self.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(reference))
    }

    /// The stage name when BuildKit accepts it as one (`^[a-z][a-z0-9-_.]*$`,
    /// case-insensitively) and it is written plainly (no quotes or escapes),
    /// so it can be written into a `--from=` as it is.
    pub fn usable_name(&self, text: &str) -> Option<&str> {
        let name = self.name.as_deref()?;
        let plain = self
            .name_span
            .as_ref()
            .is_some_and(|s| text.get(s.clone()) == Some(name));
        (plain && is_stage_name(name)).then_some(name)
    }

    /// The base image the catalog should look at: resolved when possible.
    pub fn effective_base(&self) -> &ImageRef {
        self.base_resolved.as_ref().unwrap_or(&self.base)
    }
}

/// Where a stage reference appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `FROM <stage>`
    FromBase,
    /// `COPY --from=` / `ADD --from=`
    CopyFrom,
    /// `RUN --mount=...,from=`
    MountFrom,
}

/// What a reference points at, as BuildKit resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stage(usize),
    /// An image pulled by name (`--from=nginx:1.27`), or a value with a
    /// variable that slimfile does not resolve.
    Image,
    /// A bare name that is no stage: BuildKit pulls it as an image or takes a
    /// named build context (`--build-context name=…`) of that name.
    Unresolved,
    /// `--from=N` with N not an earlier stage.
    BadIndex,
    /// `--from=` the name of the stage it is in: BuildKit reports a circular
    /// dependency.
    SelfStage,
}

/// A reference to a stage or image from inside a stage.
#[derive(Debug, Clone)]
pub struct StageRef {
    pub kind: RefKind,
    /// Index of the instruction that holds it.
    pub instruction: usize,
    /// Stage that holds it.
    pub stage: usize,
    pub value: String,
    /// Span of the value when it can be replaced in place.
    pub span: Option<Range<usize>>,
    pub target: Target,
}

impl StageRef {
    /// True for `--from=N` on COPY/ADD (BuildKit reads it with `strconv.Atoi`,
    /// so `+1` and `01` are indices too). A mount's `from=` is never an index.
    pub fn is_index(&self) -> bool {
        self.kind == RefKind::CopyFrom && stage_index(&self.value).is_some()
    }
}

/// `strconv.Atoi`'s reading of a `--from=` value: an optional sign and digits.
fn stage_index(value: &str) -> Option<i64> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse::<i64>().ok().or(Some(i64::MAX))
}

/// Keyword → logical text → index of the instruction with that reading.
type ReadingIndex = HashMap<Keyword, HashMap<String, usize>>;

/// Stages and stage graph of one document.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// ARGs before the first FROM with their defaults.
    pub global_args: HashMap<String, Option<String>>,
    pub stages: Vec<Stage>,
    pub refs: Vec<StageRef>,
    /// Lower-cased stage name → stage indices, in order (lookups stay linear overall).
    by_name: HashMap<String, Vec<usize>>,
    /// For each stage, the indices into `refs` of the references that resolve to it.
    refs_into: Vec<Vec<usize>>,
    /// The typed reading of each instruction (`None` for keywords not read
    /// this way), indexed like [`Document::instructions`].
    readings: Vec<Option<Rc<Read>>>,
    /// Keyword → logical text → instruction index, for [`Model::build_after`].
    reading_by_text: ReadingIndex,
    /// The document's escape character (readings depend on it).
    escape: char,
    /// Lower-cased references that resolve to an image or a named context
    /// (full reference and bare name), from FROM, `--from=` and mounts.
    image_names: HashSet<String>,
}

impl Model {
    /// Reads `doc` into stages and references.
    ///
    /// FROM, COPY/ADD, ENV/ARG/LABEL and CMD/ENTRYPOINT are read through
    /// dockerfile-parser ([`typed::read_values`]), the front end's words
    /// standing in where the crate refuses; an instruction the two read
    /// differently is not [understood](Model::understood).
    pub fn build(doc: &Document) -> Model {
        Model::build_reusing(doc, None)
    }

    /// [`Model::build`] for a document that is `previous`'s document after
    /// some edits (the engine's next round): the typed reading of an
    /// instruction whose text did not change is taken over, not read again.
    pub fn build_after(doc: &Document, previous: &Model) -> Model {
        Model::build_reusing(doc, Some(previous))
    }

    fn build_reusing(doc: &Document, previous: Option<&Model>) -> Model {
        let (readings, reading_by_text) = read_all(doc, previous);
        let mut model = Model {
            readings,
            reading_by_text,
            escape: doc.escape,
            ..Model::default()
        };
        let froms: Vec<usize> = doc
            .instructions
            .iter()
            .enumerate()
            .filter(|(_, i)| i.keyword == Keyword::From)
            .map(|(n, _)| n)
            .collect();
        for (n, ins) in doc.instructions.iter().enumerate() {
            if froms.first().is_some_and(|&f| n >= f) {
                break;
            }
            if ins.keyword == Keyword::Arg {
                for (name, value) in model.pairs(doc, n) {
                    model.global_args.insert(name, value);
                }
            }
        }
        model.stages.reserve_exact(froms.len());
        for (index, &from) in froms.iter().enumerate() {
            let end = froms
                .get(index + 1)
                .copied()
                .unwrap_or(doc.instructions.len());
            // only earlier stages are in `by_name` while a FROM is read
            let stage = model.read_stage(doc, index, from, end);
            if let Some(name) = &stage.name {
                model
                    .by_name
                    .entry(name.to_ascii_lowercase())
                    .or_default()
                    .push(index);
            }
            model.stages.push(stage);
        }
        for stage in 0..model.stages.len() {
            model.read_refs(doc, stage);
        }
        model.refs.shrink_to_fit();
        model.refs_into = vec![Vec::new(); model.stages.len()];
        for (i, r) in model.refs.iter().enumerate() {
            if let Target::Stage(s) = r.target {
                model.refs_into[s].push(i);
            }
        }
        // most stages are referred to once or never: no room kept for four
        model.refs_into.iter_mut().for_each(Vec::shrink_to_fit);
        model.image_names = model.image_names();
        model
    }

    /// Lower-cased references that resolve to an image or a named context,
    /// in full and as bare names (see [`Model::is_image_reference`]).
    fn image_names(&self) -> HashSet<String> {
        let mut image_names = HashSet::new();
        let mut add = |written: &str| {
            image_names.insert(written.to_ascii_lowercase());
            image_names.insert(ImageRef::parse(written).bare_name());
        };
        for stage in &self.stages {
            if stage.base_stage.is_none() {
                add(stage.base_expanded.as_deref().unwrap_or(&stage.base_text));
            }
        }
        for r in &self.refs {
            if matches!(r.target, Target::Image | Target::Unresolved) {
                add(&r.value);
            }
        }
        image_names
    }

    /// False when dockerfile-parser and the front end read instruction
    /// `instruction` (an index into [`Document::instructions`]) differently:
    /// the model does not trust either reading, and the engine drops every
    /// change that touches the instruction. True for instructions the model
    /// reads without the crate (RUN, WORKDIR, …) and for indices out of range.
    ///
    /// ```
    /// let doc = slimfile::syntax::parse("FROM a\nENV P C:\\\\go\nENV Q=1\n").unwrap();
    /// let model = slimfile::model::Model::build(&doc);
    /// assert!(!model.understood(1)); // the crate keeps both backslashes, BuildKit one
    /// assert!(model.understood(2));
    /// ```
    pub fn understood(&self, instruction: usize) -> bool {
        self.reading(instruction).is_none_or(Read::understood)
    }

    /// The typed reading of instruction `instruction`, when the model reads
    /// that keyword through dockerfile-parser.
    pub fn reading(&self, instruction: usize) -> Option<&Read> {
        self.readings.get(instruction).and_then(Option::as_deref)
    }

    /// The keys and values of ENV, ARG or LABEL instruction `instruction`,
    /// from the typed reading (the front end's words when there is none).
    ///
    /// ```
    /// let doc = slimfile::syntax::parse("FROM a\nENV A=1 B=\"x y\"\nENV LEGACY some value\n").unwrap();
    /// let model = slimfile::model::Model::build(&doc);
    /// assert_eq!(model.pairs(&doc, 1), [("A".into(), Some("1".into())), ("B".into(), Some("x y".into()))]);
    /// assert_eq!(model.pairs(&doc, 2), [("LEGACY".into(), Some("some value".into()))]);
    /// ```
    pub fn pairs(&self, doc: &Document, instruction: usize) -> Vec<(String, Option<String>)> {
        match self.reading(instruction) {
            Some(Read {
                reading: Reading::Pairs(p),
                ..
            }) => p.clone(),
            _ => doc
                .instructions
                .get(instruction)
                .map(arg_pairs)
                .unwrap_or_default(),
        }
    }

    /// Indices of the instructions the model does not understand.
    pub fn not_understood(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.readings.len()).filter(|&i| !self.understood(i))
    }

    /// True when `name` equals (case-insensitively) a reference that some
    /// FROM, `--from=` or mount `from=` of the file resolves to as an image or
    /// named context, written in full or as its bare name. A stage with that
    /// name would shadow it: BuildKit looks stage names up before images.
    pub fn is_image_reference(&self, name: &str) -> bool {
        self.image_names.contains(&name.to_ascii_lowercase())
    }

    /// The last earlier stage (before `before`) named `name`, case-insensitively:
    /// where BuildKit's FROM finds a stage.
    fn named_before(&self, name: &str, before: usize) -> Option<usize> {
        self.by_name
            .get(&name.to_ascii_lowercase())?
            .iter()
            .copied()
            .rfind(|&i| i < before)
    }

    /// The stage named `name` (case-insensitively), anywhere in the file: the
    /// last one of that name, as in BuildKit's name map.
    fn named(&self, name: &str) -> Option<usize> {
        self.by_name
            .get(&name.to_ascii_lowercase())?
            .last()
            .copied()
    }

    /// The references that resolve to stage `stage`.
    pub fn refs_to(&self, stage: usize) -> impl Iterator<Item = &StageRef> {
        self.refs_into
            .get(stage)
            .into_iter()
            .flatten()
            .map(|&i| &self.refs[i])
    }

    fn read_stage(&self, doc: &Document, index: usize, from: usize, end: usize) -> Stage {
        let ins = &doc.instructions[from];
        let words = ins.words();
        // values from the typed reading (the crate's, or the front end's where
        // it refuses), spans from the front end's words
        let (image, alias) = match self.reading(from) {
            Some(Read {
                reading: Reading::From { image, alias },
                ..
            }) => (Some(image.clone()), alias.clone()),
            _ => (None, None),
        };
        let (base_text, base_span) = match words.first() {
            Some(w) => (image.unwrap_or_else(|| w.value.clone()), w.span.clone()),
            None => (String::new(), ins.span.end..ins.span.end),
        };
        let (mut name, mut name_span, mut as_span) = (None, None, None);
        if words.len() >= 3 && words[1].value.eq_ignore_ascii_case("as") {
            as_span = Some(words[1].span.clone());
            name = alias.or_else(|| Some(words[2].value.clone()));
            name_span = Some(words[2].span.clone());
        }
        let base = ImageRef::parse(&base_text);
        let base_expanded = if base_text.contains('$') {
            image::expand(&base_text, &self.global_args)
        } else {
            Some(base_text.clone())
        };
        let base_resolved = base_expanded.as_deref().map(ImageRef::parse);
        // BuildKit expands the base with the global ARGs, then looks it up
        // among the stages defined so far (dockerfile2llb/convert.go,
        // `dispatchStates.addState`: `statesByName[ds.stage.BaseName]` before
        // the stage's own name is added). Later stages never shadow a FROM.
        let base_stage = base_expanded
            .as_deref()
            .and_then(|b| self.named_before(b, index));
        Stage {
            index,
            from,
            instructions: from..end,
            name,
            name_span,
            as_span,
            base_text,
            base_span,
            base,
            base_resolved: if base_stage.is_some() {
                None
            } else {
                base_resolved
            },
            base_stage,
            base_expanded,
            platform: ins.flag("platform").and_then(|f| f.value.clone()),
        }
    }

    fn read_refs(&mut self, doc: &Document, stage: usize) {
        let s = &self.stages[stage];
        if let Some(target) = s.base_stage {
            self.refs.push(StageRef {
                kind: RefKind::FromBase,
                instruction: s.from,
                stage,
                value: s.base_text.clone(),
                span: Some(s.base_span.clone()),
                target: Target::Stage(target),
            });
        }
        for n in s.instructions.clone() {
            let ins = &doc.instructions[n];
            let found: Vec<(RefKind, String, Option<Range<usize>>)> = match ins.keyword {
                Keyword::Copy | Keyword::Add => ins
                    .flag("from")
                    .and_then(|f| {
                        f.value
                            .clone()
                            .map(|v| (RefKind::CopyFrom, v, f.value_span.clone()))
                    })
                    .into_iter()
                    .collect(),
                Keyword::Run => ins
                    .flags
                    .iter()
                    .filter(|f| f.name == "mount")
                    .filter_map(mount_from)
                    .map(|(v, span)| (RefKind::MountFrom, v, span))
                    .collect(),
                _ => Vec::new(),
            };
            for (kind, value, span) in found {
                let target = match kind {
                    RefKind::MountFrom => self.resolve_mount(stage, &value),
                    _ => self.resolve(stage, &value),
                };
                self.refs.push(StageRef {
                    kind,
                    instruction: n,
                    stage,
                    value,
                    span,
                    target,
                });
            }
        }
    }

    /// What `COPY --from=value` inside stage `current` refers to.
    ///
    /// BuildKit (dockerfile2llb/convert.go, `toCommand`) resolves `--from`
    /// after every stage is known: a value `strconv.Atoi` reads is a stage
    /// index (`findStateByIndex`; one not yet built fails at dispatch), any
    /// other value is looked up among all stage names, case-insensitively
    /// (`findStateByName`), and otherwise becomes an image or named build
    /// context (an `unregistered` state; `resolveBaseImage` tries the named
    /// context first). Variables are not expanded in `--from`.
    pub fn resolve(&self, current: usize, value: &str) -> Target {
        if let Some(i) = stage_index(value) {
            return match usize::try_from(i) {
                Ok(i) if i < current => Target::Stage(i),
                _ => Target::BadIndex,
            };
        }
        self.resolve_name(current, value)
    }

    /// What a `RUN --mount=…,from=value` inside stage `current` refers to.
    ///
    /// BuildKit (dockerfile2llb/convert_runmount.go, `detectRunMount`) looks
    /// `from=` up among the stage names only: there is no index form, so
    /// `from=0` is an image called `0`.
    pub fn resolve_mount(&self, current: usize, value: &str) -> Target {
        self.resolve_name(current, value)
    }

    fn resolve_name(&self, current: usize, value: &str) -> Target {
        if let Some(i) = self.named(value) {
            return if i == current {
                Target::SelfStage
            } else {
                Target::Stage(i)
            };
        }
        if value.contains([':', '/', '@', '.', '$']) {
            Target::Image
        } else {
            Target::Unresolved
        }
    }

    /// Stages nothing else builds on or copies from, the final one included.
    pub fn is_leaf(&self, stage: usize) -> bool {
        self.refs_into.get(stage).is_none_or(Vec::is_empty)
    }
}

/// BuildKit's rule for stage names (`^[a-z][a-z0-9-_.]*$` on the lower-cased
/// name, frontend/dockerfile/instructions/parse.go).
pub fn is_stage_name(name: &str) -> bool {
    let mut bytes = name.bytes().map(|b| b.to_ascii_lowercase());
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}

/// The front end's own reading of `ARG a=1 b c=` → [(a, Some(1)), (b,
/// None), (c, Some(""))]. [`Model::pairs`] reads ENV/ARG/LABEL through
/// dockerfile-parser and falls back to this.
pub fn arg_pairs(ins: &Instruction) -> Vec<(String, Option<String>)> {
    ins.words()
        .iter()
        .map(|w| match w.value.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (w.value.clone(), None),
        })
        .collect()
}

/// The `from=` of a `--mount=` flag, with its span when editable.
fn mount_from(flag: &crate::syntax::Flag) -> Option<(String, Option<Range<usize>>)> {
    let value = flag.value.as_deref()?;
    let mut offset = 0;
    for part in value.split(',') {
        if let Some((k, v)) = part.split_once('=')
            && k.trim().eq_ignore_ascii_case("from")
        {
            let span = flag.value_span.as_ref().map(|vs| {
                let start = vs.start + offset + k.len() + 1;
                start..start + v.len()
            });
            return Some((v.to_string(), span));
        }
        offset += part.len() + 1;
    }
    None
}

/// Typed readings kept across files, per thread: a reading is a function of
/// the instruction's keyword, logical text and escape character alone (it
/// holds no offsets), and real Dockerfiles repeat many lines (`WORKDIR /app`,
/// `COPY . .`, `FROM python:3.12-slim`), each otherwise read by
/// dockerfile-parser again. Bounded: past [`TYPED_MEMO_LIMIT`] entries it
/// starts over.
/// Keyed by the logical text (looked up borrowed), each text with its
/// readings by escape character and keyword.
type TypedMemo =
    HashMap<Box<str>, Vec<(char, Keyword, Option<Rc<Read>>)>, foldhash::fast::RandomState>;

/// Typed readings kept per thread, at most.
const TYPED_MEMO_LIMIT: usize = 50_000;

thread_local! {
    static TYPED_MEMO: std::cell::RefCell<TypedMemo> = std::cell::RefCell::new(TypedMemo::default());
}

/// [`typed::read_values`] of `ins`, through the per-thread memo.
fn typed_reading(escape: char, ins: &crate::syntax::Instruction) -> Option<Rc<Read>> {
    if !typed::has_values(ins.keyword) {
        return None; // RUN, WORKDIR …: nothing to read, nothing to keep
    }
    let text = ins.logical.text.as_str();
    let kept = TYPED_MEMO.with(|m| {
        let m = m.borrow();
        let same = m
            .get(text)?
            .iter()
            .find(|(e, k, _)| *e == escape && *k == ins.keyword)?;
        Some(same.2.clone())
    });
    if let Some(r) = kept {
        return r;
    }
    let read = typed::read_values(ins).map(Rc::new);
    TYPED_MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= TYPED_MEMO_LIMIT {
            m.clear();
        }
        m.entry(text.into())
            .or_default()
            .push((escape, ins.keyword, read.clone()));
    });
    read
}

/// The typed reading of every instruction of `doc` (taken over from
/// `previous` for an instruction whose text did not change), and the index
/// by keyword and logical text that [`Model::build_after`] looks them up in.
fn read_all(doc: &Document, previous: Option<&Model>) -> (Vec<Option<Rc<Read>>>, ReadingIndex) {
    let reuse = previous.filter(|p| p.escape == doc.escape);
    let readings: Vec<Option<Rc<Read>>> = doc
        .instructions
        .iter()
        .map(|ins| {
            let known = reuse.and_then(|p| {
                let at = p
                    .reading_by_text
                    .get(&ins.keyword)?
                    .get(ins.logical.text.as_str())?;
                p.readings.get(*at).cloned()
            });
            known.unwrap_or_else(|| typed_reading(doc.escape, ins))
        })
        .collect();
    let mut reading_by_text = ReadingIndex::new();
    for (n, ins) in doc.instructions.iter().enumerate() {
        if readings[n].is_some() {
            reading_by_text
                .entry(ins.keyword)
                .or_default()
                .insert(ins.logical.text.clone(), n);
        }
    }
    (readings, reading_by_text)
}

#[cfg(test)]
mod tests;
