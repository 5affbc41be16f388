//! One serde pass that deserializes a model and, on the way, observes the document: it records
//! the path of every value the model ignores, validates those ignored values (which serde_json
//! would otherwise skip unchecked), and copies the scalars found at a few JSON pointers (the
//! vendor's status, message and request id) without taking them from the model.
//!
//! The wrapper is [`serde_ignored`]'s (version 0.1.14, MIT OR Apache-2.0, by David Tolnay),
//! adapted: the callback became an [`Observer`]; every path carries the set of pointers it is a
//! prefix of, so a scalar is copied only where a pointer ends (one bit test per scalar); and an
//! ignored value is read with `deserialize_any` by [`Skip`] instead of skipped with
//! `deserialize_ignored_any`, so serde_json checks its strings (UTF-8, `\u` escapes) and counts
//! its nesting against its recursion limit, as it does for the values the model reads. That
//! makes the whole-body check after ignored fields unnecessary.
//!
//! What it costs on top of the plain typed parse is kept small (issue #13): a key is borrowed
//! from the input when serde_json lends it, else copied into one buffer per map (never one
//! allocation per key, as in `serde_ignored`); a request for a scalar goes to the inner
//! deserializer with the caller's own visitor when no pointer ends there; and a `Some` or
//! newtype shares its parent's path node.
//!
//! Values a model buffers (untagged enums, `flatten`) pass through the wrapper's visitor once,
//! so they are observed like any other; what the model then does with the buffer is not.
#![allow(clippy::needless_lifetimes, clippy::elidable_lifetime_names)]

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Visitor};
use serde_json::Value;

use crate::{JsonPath, PathSegment};

/// The most pointers one pass captures (one bit each).
const MAX_POINTERS: usize = 32;

/// What one pass saw besides the model: the ignored paths and the captured pointer values.
#[derive(Debug)]
pub(crate) struct Observer {
    /// The reference tokens of each pointer.
    segments: Vec<Vec<String>>,
    /// For each depth, the pointers that end there.
    ends_at: Vec<u32>,
    /// Paths of the ignored values, in document order.
    pub(crate) ignored: Vec<JsonPath>,
    /// Where an array was refused in place of a struct, if it was (serde itself would read a
    /// struct from an array, its fields in order).
    pub(crate) refused_array: Option<JsonPath>,
    /// The text at each pointer: a string as it is, `null` or absent as `None`, any other
    /// scalar as its JSON text (an object or array inside an ignored value as its JSON text).
    pub(crate) found: Vec<Option<String>>,
    /// `false` when a pointer ended on an array or object the model reads (its text is not
    /// kept), or there were too many pointers: `found` is then not to be trusted.
    pub(crate) complete: bool,
}

impl Observer {
    /// An observer capturing the values at `pointers` (JSON pointers such as `/result/status`).
    pub(crate) fn new(pointers: &[&str]) -> Self {
        let segments: Vec<Vec<String>> = pointers.iter().map(|p| segments(p)).collect();
        let mut ends_at = vec![0u32; segments.iter().map(Vec::len).max().map_or(0, |m| m + 1)];
        for (i, tokens) in segments.iter().enumerate().take(MAX_POINTERS) {
            ends_at[tokens.len()] |= 1 << i;
        }
        Observer {
            found: vec![None; segments.len()],
            complete: segments.len() <= MAX_POINTERS,
            segments,
            ends_at,
            ignored: Vec::new(),
            refused_array: None,
        }
    }

    /// Every pointer, as a bit set.
    fn all(&self) -> u32 {
        match self.segments.len().min(MAX_POINTERS) {
            MAX_POINTERS => u32::MAX,
            n => (1u32 << n) - 1,
        }
    }

    /// The pointers of `active` that end at `depth`.
    #[inline]
    fn ends(&self, active: u32, depth: usize) -> u32 {
        active & self.ends_at.get(depth).copied().unwrap_or(0)
    }

    /// The pointers of `active` whose token at `depth` is `token`.
    fn narrow(&self, active: u32, depth: usize, token: &str) -> u32 {
        let mut out = 0;
        let mut bits = active;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if self.segments[i].get(depth).map(String::as_str) == Some(token) {
                out |= 1 << i;
            }
        }
        out
    }

    fn root(&self) -> Path<'static> {
        let active = self.all();
        Path {
            parent: None,
            step: Step::Root,
            active,
            depth: 0,
            ends: self.ends(active, 0),
        }
    }

    #[inline]
    fn child<'a>(&self, parent: &'a Path<'a>, step: Step<'a>, token: &str) -> Path<'a> {
        let depth = parent.depth + 1;
        let active = if parent.active == 0 {
            0
        } else {
            self.narrow(parent.active, parent.depth, token)
        };
        Path {
            parent: Some(parent),
            step,
            active,
            depth,
            ends: self.ends(active, depth),
        }
    }

    fn index<'a>(&self, parent: &'a Path<'a>, index: usize) -> Path<'a> {
        let token = if parent.active == 0 {
            String::new()
        } else {
            index.to_string()
        };
        self.child(parent, Step::Index(index), &token)
    }

    #[inline]
    fn key<'a>(&self, parent: &'a Path<'a>, key: &'a str) -> Path<'a> {
        self.child(parent, Step::Key(key), key)
    }

    fn ignored(&mut self, path: &Path<'_>) {
        let mut segments = Vec::new();
        path.collect(&mut segments);
        self.ignored.push(JsonPath(segments));
    }

    /// Records `text` for the pointers in `ends` (the last value at a repeated key wins).
    fn capture(&mut self, ends: u32, text: Option<String>) {
        let mut bits = ends;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            self.found[i].clone_from(&text);
        }
    }

    /// Records, for each pointer of `active`, what it reaches inside `value` (read at `depth`).
    fn resolve(&mut self, active: u32, depth: usize, value: &Value) {
        let mut bits = active;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let mut at = Some(value);
            for token in self.segments[i].get(depth..).unwrap_or_default() {
                at = at.and_then(|v| match v {
                    Value::Object(map) => map.get(token),
                    Value::Array(items) => token.parse::<usize>().ok().and_then(|n| items.get(n)),
                    _ => None,
                });
            }
            self.found[i] = at.and_then(value_text);
        }
    }
}

/// Gives the wrappers their [`Observer`] (the wrappers are generic over it, as
/// `serde_ignored`'s are over their callback).
pub(crate) trait Observe {
    /// The observer.
    fn observer(&mut self) -> &mut Observer;
}

impl Observe for Observer {
    fn observer(&mut self) -> &mut Observer {
        self
    }
}

/// Deserializes `T` from `de`, observed by `observer`.
pub(crate) fn deserialize<'de, D, T>(de: D, observer: &mut Observer) -> Result<T, D::Error>
where
    D: de::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let path = observer.root();
    T::deserialize(Deserializer {
        de,
        callback: observer,
        path,
    })
}

/// The reference tokens of a JSON pointer (`/a~1b/0` → `a/b`, `0`).
pub(crate) fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// A value's text as a pointer capture keeps it: a string as it is, `null` as `None`, anything
/// else as its JSON text.
pub(crate) fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// A float's JSON text, as `serde_json::Value` writes it.
fn number_text(v: f64) -> String {
    serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string())
}

/// One step of a [`Path`].
#[derive(Clone, Copy)]
enum Step<'a> {
    Root,
    Index(usize),
    Key(&'a str),
}

/// Where a value is: a linked list up to the root, with the pointers it is on.
#[derive(Clone, Copy)]
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
    /// The pointers this path is a prefix of (bit i: pointer i).
    active: u32,
    /// The document depth (the root value is 0).
    depth: usize,
    /// The pointers that end here.
    ends: u32,
}

impl<'a> Path<'a> {
    /// The same place, for the value inside a `Some` or a newtype (no level of the
    /// document): a copy of this node, not a new one.
    #[inline]
    fn inner(&self) -> Path<'a> {
        *self
    }

    fn collect(&self, out: &mut Vec<PathSegment>) {
        if let Some(parent) = self.parent {
            parent.collect(out);
        }
        match &self.step {
            Step::Index(index) => out.push(PathSegment::Index(*index)),
            Step::Key(key) => out.push(PathSegment::Key((*key).to_owned())),
            Step::Root => {}
        }
    }
}

/// An ignored value, read (not skipped) so that serde_json validates it, capturing what the
/// pointers of `active` reach inside it.
struct Skip<'o, F> {
    observer: &'o mut F,
    active: u32,
    depth: usize,
}

impl<'o, F: Observe> Skip<'o, F> {
    fn at(&mut self, active: u32, depth: usize) -> Skip<'_, F> {
        Skip {
            observer: &mut *self.observer,
            active,
            depth,
        }
    }
}

impl<'de, 'o, F: Observe> DeserializeSeed<'de> for Skip<'o, F> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let observer = self.observer.observer();
        if observer.ends(self.active, self.depth) != 0 {
            // A pointer ends here: keep the value (a status, message or id) and answer the
            // deeper pointers from it.
            let value = Value::deserialize(deserializer)?;
            observer.resolve(self.active, self.depth, &value);
            return Ok(());
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de, 'o, F: Observe> Visitor<'de> for Skip<'o, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let depth = self.depth + 1;
        let mut index = 0usize;
        loop {
            let active = if self.active == 0 {
                0
            } else {
                let observer = self.observer.observer();
                observer.narrow(self.active, self.depth, &index.to_string())
            };
            if seq.next_element_seed(self.at(active, depth))?.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: de::MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let depth = self.depth + 1;
        if self.active == 0 {
            while map.next_key_seed(self.at(0, depth))?.is_some() {
                map.next_value_seed(self.at(0, depth))?;
            }
            return Ok(());
        }
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let active = self
                .observer
                .observer()
                .narrow(self.active, self.depth, &key);
            map.next_value_seed(self.at(active, depth))?;
        }
        Ok(())
    }
}

/// The [`serde_ignored`] wrapper around a deserializer, with an [`Observer`].
struct Deserializer<'a, 'b, D, F: 'b> {
    de: D,
    callback: &'b mut F,
    path: Path<'a>,
}

impl<'a, 'b, X, F: Observe> Wrap<'a, 'b, X, F> {
    /// Copies a scalar when a pointer ends here.
    fn seen(&mut self, text: impl FnOnce() -> Option<String>) {
        if self.path.ends != 0 {
            let ends = self.path.ends;
            self.callback.observer().capture(ends, text());
        }
    }

    /// An array or object (or enum) where a pointer ends: its text is not kept.
    fn container(&mut self) {
        if self.path.ends != 0 {
            self.callback.observer().complete = false;
        }
    }
}

// A request for a scalar (`deserialize_str`, `deserialize_u64`, …) goes to the inner
// deserializer with the caller's own visitor when no pointer ends here: serde_json answers it
// with a scalar or an error, never with a sequence, map or `Some` to follow, so there is
// nothing below to observe and the wrapping visitor would only cost time. (`deserialize_any`,
// `deserialize_option`, `deserialize_bytes` and the compound requests stay wrapped.)
impl<'a, 'b, 'de, D, F> de::Deserializer<'de> for Deserializer<'a, 'b, D, F>
where
    D: de::Deserializer<'de>,
    F: Observe,
{
    type Error = D::Error;

    fn deserialize_any<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.de
            .deserialize_any(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_bool<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_bool(visitor);
        }
        self.de
            .deserialize_bool(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_u8<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_u8(visitor);
        }
        self.de
            .deserialize_u8(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_u16<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_u16(visitor);
        }
        self.de
            .deserialize_u16(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_u32<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_u32(visitor);
        }
        self.de
            .deserialize_u32(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_u64<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_u64(visitor);
        }
        self.de
            .deserialize_u64(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_u128<V>(self, visitor: V) -> Result<V::Value, Self::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_u128(visitor);
        }
        self.de
            .deserialize_u128(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_i8<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_i8(visitor);
        }
        self.de
            .deserialize_i8(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_i16<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_i16(visitor);
        }
        self.de
            .deserialize_i16(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_i32<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_i32(visitor);
        }
        self.de
            .deserialize_i32(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_i64<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_i64(visitor);
        }
        self.de
            .deserialize_i64(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_i128<V>(self, visitor: V) -> Result<V::Value, Self::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_i128(visitor);
        }
        self.de
            .deserialize_i128(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_f32<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_f32(visitor);
        }
        self.de
            .deserialize_f32(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_f64<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_f64(visitor);
        }
        self.de
            .deserialize_f64(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_char<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_char(visitor);
        }
        self.de
            .deserialize_char(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_str<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_str(visitor);
        }
        self.de
            .deserialize_str(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_string<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_string(visitor);
        }
        self.de
            .deserialize_string(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_bytes<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.de
            .deserialize_bytes(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_byte_buf<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.de
            .deserialize_byte_buf(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_option<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.de
            .deserialize_option(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_unit<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_unit(visitor);
        }
        self.de
            .deserialize_unit(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_unit_struct<V>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.de
            .deserialize_unit_struct(name, Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_newtype_struct<V>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.de
            .deserialize_newtype_struct(name, Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_seq<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.de
            .deserialize_seq(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_tuple<V>(self, len: usize, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.de
            .deserialize_tuple(len, Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_tuple_struct<V>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.de
            .deserialize_tuple_struct(name, len, Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_map<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.de
            .deserialize_map(Wrap::new(visitor, self.callback, &self.path))
    }

    fn deserialize_struct<V>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.de.deserialize_struct(
            name,
            fields,
            Wrap::for_struct(visitor, self.callback, &self.path),
        )
    }

    fn deserialize_enum<V>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.de.deserialize_enum(
            name,
            variants,
            Wrap::new(visitor, self.callback, &self.path),
        )
    }

    fn deserialize_ignored_any<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        self.callback.observer().ignored(&self.path);
        let skip = Skip {
            observer: self.callback,
            active: self.path.active,
            depth: self.path.depth,
        };
        skip.deserialize(self.de)?;
        visitor.visit_unit()
    }

    fn deserialize_identifier<V>(self, visitor: V) -> Result<V::Value, D::Error>
    where
        V: Visitor<'de>,
    {
        if self.path.ends == 0 {
            return self.de.deserialize_identifier(visitor);
        }
        self.de
            .deserialize_identifier(Wrap::new(visitor, self.callback, &self.path))
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

struct Wrap<'a, 'b, X, F: 'b> {
    delegate: X,
    callback: &'b mut F,
    path: &'a Path<'a>,
    /// A struct was asked for: an array is refused instead of read as the fields in order.
    struct_only: bool,
}

impl<'a, 'b, X, F> Wrap<'a, 'b, X, F> {
    fn new(delegate: X, callback: &'b mut F, path: &'a Path<'a>) -> Self {
        Wrap {
            delegate,
            callback,
            path,
            struct_only: false,
        }
    }

    /// For `deserialize_struct`: a JSON object only.
    fn for_struct(delegate: X, callback: &'b mut F, path: &'a Path<'a>) -> Self {
        Wrap {
            struct_only: true,
            ..Wrap::new(delegate, callback, path)
        }
    }
}

impl<'a, 'b, 'de, X, F> Visitor<'de> for Wrap<'a, 'b, X, F>
where
    X: Visitor<'de>,
    F: Observe,
{
    type Value = X::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        self.delegate.expecting(formatter)
    }

    fn visit_bool<E>(mut self, v: bool) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_string()));
        self.delegate.visit_bool(v)
    }

    fn visit_i8<E>(mut self, v: i8) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_string()));
        self.delegate.visit_i8(v)
    }

    fn visit_i16<E>(mut self, v: i16) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_string()));
        self.delegate.visit_i16(v)
    }

    fn visit_i32<E>(mut self, v: i32) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_string()));
        self.delegate.visit_i32(v)
    }

    fn visit_i64<E>(mut self, v: i64) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_string()));
        self.delegate.visit_i64(v)
    }

    fn visit_i128<E>(mut self, v: i128) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_string()));
        self.delegate.visit_i128(v)
    }

    fn visit_u8<E>(mut self, v: u8) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_string()));
        self.delegate.visit_u8(v)
    }

    fn visit_u16<E>(mut self, v: u16) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_string()));
        self.delegate.visit_u16(v)
    }

    fn visit_u32<E>(mut self, v: u32) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_string()));
        self.delegate.visit_u32(v)
    }

    fn visit_u64<E>(mut self, v: u64) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_string()));
        self.delegate.visit_u64(v)
    }

    fn visit_u128<E>(mut self, v: u128) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_string()));
        self.delegate.visit_u128(v)
    }

    fn visit_f32<E>(mut self, v: f32) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(number_text(f64::from(v))));
        self.delegate.visit_f32(v)
    }

    fn visit_f64<E>(mut self, v: f64) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(number_text(v)));
        self.delegate.visit_f64(v)
    }

    fn visit_char<E>(mut self, v: char) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_string()));
        self.delegate.visit_char(v)
    }

    fn visit_str<E>(mut self, v: &str) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_owned()));
        self.delegate.visit_str(v)
    }

    fn visit_borrowed_str<E>(mut self, v: &'de str) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.to_owned()));
        self.delegate.visit_borrowed_str(v)
    }

    fn visit_string<E>(mut self, v: String) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| Some(v.clone()));
        self.delegate.visit_string(v)
    }

    fn visit_unit<E>(mut self) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| None);
        self.delegate.visit_unit()
    }

    fn visit_none<E>(mut self) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.seen(|| None);
        self.delegate.visit_none()
    }

    fn visit_some<D>(self, deserializer: D) -> Result<Self::Value, D::Error>
    where
        D: de::Deserializer<'de>,
    {
        self.delegate.visit_some(Deserializer {
            de: deserializer,
            callback: self.callback,
            path: self.path.inner(),
        })
    }

    fn visit_newtype_struct<D>(self, deserializer: D) -> Result<Self::Value, D::Error>
    where
        D: de::Deserializer<'de>,
    {
        self.delegate.visit_newtype_struct(Deserializer {
            de: deserializer,
            callback: self.callback,
            path: self.path.inner(),
        })
    }

    fn visit_seq<V>(mut self, visitor: V) -> Result<Self::Value, V::Error>
    where
        V: de::SeqAccess<'de>,
    {
        if self.struct_only {
            // serde's derived structs read an array as their fields in order, and with
            // defaulted fields any shorter array too; a vendor's object never arrives so.
            let mut segments = Vec::new();
            self.path.collect(&mut segments);
            self.callback.observer().refused_array = Some(JsonPath(segments));
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        self.container();
        self.delegate
            .visit_seq(SeqAccess::new(visitor, self.callback, self.path))
    }

    fn visit_map<V>(mut self, visitor: V) -> Result<Self::Value, V::Error>
    where
        V: de::MapAccess<'de>,
    {
        self.container();
        self.delegate
            .visit_map(MapAccess::new(visitor, self.callback, self.path))
    }

    fn visit_enum<V>(mut self, visitor: V) -> Result<Self::Value, V::Error>
    where
        V: de::EnumAccess<'de>,
    {
        self.container();
        self.delegate
            .visit_enum(Wrap::new(visitor, self.callback, self.path))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.delegate.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E>(self, v: &'de [u8]) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.delegate.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.delegate.visit_byte_buf(v)
    }
}

impl<'a, 'b, 'de, X, F> de::EnumAccess<'de> for Wrap<'a, 'b, X, F>
where
    X: de::EnumAccess<'de> + 'a,
    F: Observe + 'b,
{
    type Error = X::Error;
    type Variant = Wrap<'a, 'b, X::Variant, F>;

    fn variant_seed<V>(self, seed: V) -> Result<(V::Value, Self::Variant), X::Error>
    where
        V: DeserializeSeed<'de>,
    {
        let callback = self.callback;
        let path = self.path;
        self.delegate
            .variant_seed(seed)
            .map(move |(v, vis)| (v, Wrap::new(vis, callback, path)))
    }
}

impl<'a, 'b, 'de, X, F> de::VariantAccess<'de> for Wrap<'a, 'b, X, F>
where
    X: de::VariantAccess<'de>,
    F: Observe,
{
    type Error = X::Error;

    fn unit_variant(self) -> Result<(), X::Error> {
        self.delegate.unit_variant()
    }

    fn newtype_variant_seed<T>(self, seed: T) -> Result<T::Value, X::Error>
    where
        T: DeserializeSeed<'de>,
    {
        let path = self.path.inner();
        self.delegate
            .newtype_variant_seed(TrackedSeed::new(seed, self.callback, path))
    }

    fn tuple_variant<V>(self, len: usize, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .tuple_variant(len, Wrap::new(visitor, self.callback, self.path))
    }

    fn struct_variant<V>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .struct_variant(fields, Wrap::new(visitor, self.callback, self.path))
    }
}

/// The key a map access last read: borrowed from the input when serde_json can lend it (no
/// escapes), else copied into a buffer reused for every key of the map, so that a key costs
/// no allocation either way.
struct KeySlot<'de> {
    borrowed: Option<&'de str>,
    text: String,
    set: bool,
}

impl<'de> KeySlot<'de> {
    fn new() -> Self {
        KeySlot {
            borrowed: None,
            text: String::new(),
            set: false,
        }
    }

    #[inline]
    fn set_borrowed(&mut self, text: &'de str) {
        self.borrowed = Some(text);
        self.set = true;
    }

    /// The buffer, emptied, for a key that cannot be borrowed.
    #[inline]
    fn owned(&mut self) -> &mut String {
        self.borrowed = None;
        self.set = true;
        self.text.clear();
        &mut self.text
    }

    #[inline]
    fn set_str(&mut self, text: &str) {
        self.owned().push_str(text);
    }

    fn set_display(&mut self, value: impl fmt::Display) {
        use fmt::Write as _;
        // Writing into a `String` cannot fail.
        let _ = write!(self.owned(), "{value}");
    }

    /// The key read since the last call, if any.
    #[inline]
    fn take(&mut self) -> Option<&str> {
        if !std::mem::take(&mut self.set) {
            return None;
        }
        Some(self.borrowed.unwrap_or(self.text.as_str()))
    }
}

struct CaptureKey<'a, 'de, X> {
    delegate: X,
    key: &'a mut KeySlot<'de>,
}

impl<'a, 'de, X> CaptureKey<'a, 'de, X> {
    fn new(delegate: X, key: &'a mut KeySlot<'de>) -> Self {
        CaptureKey { delegate, key }
    }
}

impl<'a, 'de, X> DeserializeSeed<'de> for CaptureKey<'a, 'de, X>
where
    X: DeserializeSeed<'de>,
{
    type Value = X::Value;

    fn deserialize<D>(self, deserializer: D) -> Result<X::Value, D::Error>
    where
        D: de::Deserializer<'de>,
    {
        self.delegate
            .deserialize(CaptureKey::new(deserializer, self.key))
    }
}

impl<'a, 'de, X> de::Deserializer<'de> for CaptureKey<'a, 'de, X>
where
    X: de::Deserializer<'de>,
{
    type Error = X::Error;

    fn deserialize_any<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_any(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_bool<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_bool(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_u8<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_u8(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_u16<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_u16(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_u32<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_u32(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_u64<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_u64(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_u128<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_u128(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_i8<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_i8(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_i16<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_i16(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_i32<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_i32(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_i64<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_i64(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_i128<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_i128(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_f32<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_f32(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_f64<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_f64(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_char<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_char(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_str<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_str(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_string<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_string(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_bytes<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_bytes(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_byte_buf<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_byte_buf(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_option<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_option(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_unit<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_unit(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_unit_struct<V>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_unit_struct(name, CaptureKey::new(visitor, self.key))
    }

    fn deserialize_newtype_struct<V>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_newtype_struct(name, CaptureKey::new(visitor, self.key))
    }

    fn deserialize_seq<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_seq(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_tuple<V>(self, len: usize, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_tuple(len, CaptureKey::new(visitor, self.key))
    }

    fn deserialize_tuple_struct<V>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_tuple_struct(name, len, CaptureKey::new(visitor, self.key))
    }

    fn deserialize_map<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_map(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_struct<V>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_struct(name, fields, CaptureKey::new(visitor, self.key))
    }

    fn deserialize_enum<V>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_enum(name, variants, CaptureKey::new(visitor, self.key))
    }

    fn deserialize_ignored_any<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_ignored_any(CaptureKey::new(visitor, self.key))
    }

    fn deserialize_identifier<V>(self, visitor: V) -> Result<V::Value, X::Error>
    where
        V: Visitor<'de>,
    {
        self.delegate
            .deserialize_identifier(CaptureKey::new(visitor, self.key))
    }

    fn is_human_readable(&self) -> bool {
        self.delegate.is_human_readable()
    }
}

impl<'a, 'de, X> Visitor<'de> for CaptureKey<'a, 'de, X>
where
    X: Visitor<'de>,
{
    type Value = X::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        self.delegate.expecting(formatter)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_display(v);
        self.delegate.visit_bool(v)
    }

    fn visit_i8<E>(self, v: i8) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_display(v);
        self.delegate.visit_i8(v)
    }

    fn visit_i16<E>(self, v: i16) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_display(v);
        self.delegate.visit_i16(v)
    }

    fn visit_i32<E>(self, v: i32) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_display(v);
        self.delegate.visit_i32(v)
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_display(v);
        self.delegate.visit_i64(v)
    }

    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_display(v);
        self.delegate.visit_i128(v)
    }

    fn visit_u8<E>(self, v: u8) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_display(v);
        self.delegate.visit_u8(v)
    }

    fn visit_u16<E>(self, v: u16) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_display(v);
        self.delegate.visit_u16(v)
    }

    fn visit_u32<E>(self, v: u32) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_display(v);
        self.delegate.visit_u32(v)
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_display(v);
        self.delegate.visit_u64(v)
    }

    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_display(v);
        self.delegate.visit_u128(v)
    }

    fn visit_f32<E>(self, v: f32) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.delegate.visit_f32(v)
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.delegate.visit_f64(v)
    }

    fn visit_char<E>(self, v: char) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.delegate.visit_char(v)
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_str(v);
        self.delegate.visit_str(v)
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_borrowed(v);
        self.delegate.visit_borrowed_str(v)
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.key.set_str(&v);
        self.delegate.visit_string(v)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.delegate.visit_unit()
    }

    fn visit_none<E>(self) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.delegate.visit_none()
    }

    fn visit_some<D>(self, deserializer: D) -> Result<Self::Value, D::Error>
    where
        D: de::Deserializer<'de>,
    {
        self.delegate.visit_some(deserializer)
    }

    fn visit_newtype_struct<D>(self, deserializer: D) -> Result<Self::Value, D::Error>
    where
        D: de::Deserializer<'de>,
    {
        self.delegate
            .visit_newtype_struct(CaptureKey::new(deserializer, self.key))
    }

    fn visit_seq<V>(self, visitor: V) -> Result<Self::Value, V::Error>
    where
        V: de::SeqAccess<'de>,
    {
        self.delegate.visit_seq(visitor)
    }

    fn visit_map<V>(self, visitor: V) -> Result<Self::Value, V::Error>
    where
        V: de::MapAccess<'de>,
    {
        self.delegate.visit_map(visitor)
    }

    fn visit_enum<V>(self, visitor: V) -> Result<Self::Value, V::Error>
    where
        V: de::EnumAccess<'de>,
    {
        self.delegate.visit_enum(CaptureKey::new(visitor, self.key))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.delegate.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E>(self, v: &'de [u8]) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.delegate.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Self::Value, E>
    where
        E: de::Error,
    {
        self.delegate.visit_byte_buf(v)
    }
}

impl<'a, 'de, X> de::EnumAccess<'de> for CaptureKey<'a, 'de, X>
where
    X: de::EnumAccess<'de>,
{
    type Error = X::Error;
    type Variant = X::Variant;

    fn variant_seed<V>(self, seed: V) -> Result<(V::Value, Self::Variant), X::Error>
    where
        V: DeserializeSeed<'de>,
    {
        self.delegate.variant_seed(CaptureKey::new(seed, self.key))
    }
}

struct TrackedSeed<'a, X, F: 'a> {
    seed: X,
    callback: &'a mut F,
    path: Path<'a>,
}

impl<'a, X, F> TrackedSeed<'a, X, F> {
    fn new(seed: X, callback: &'a mut F, path: Path<'a>) -> Self {
        TrackedSeed {
            seed,
            callback,
            path,
        }
    }
}

impl<'a, 'de, X, F> DeserializeSeed<'de> for TrackedSeed<'a, X, F>
where
    X: DeserializeSeed<'de>,
    F: Observe,
{
    type Value = X::Value;

    fn deserialize<D>(self, deserializer: D) -> Result<X::Value, D::Error>
    where
        D: de::Deserializer<'de>,
    {
        self.seed.deserialize(Deserializer {
            de: deserializer,
            callback: self.callback,
            path: self.path,
        })
    }
}

struct SeqAccess<'a, 'b, X, F: 'b> {
    delegate: X,
    callback: &'b mut F,
    path: &'a Path<'a>,
    index: usize,
}

impl<'a, 'b, X, F> SeqAccess<'a, 'b, X, F> {
    fn new(delegate: X, callback: &'b mut F, path: &'a Path<'a>) -> Self {
        SeqAccess {
            delegate,
            callback,
            path,
            index: 0,
        }
    }
}

impl<'a, 'b, 'de, X, F> de::SeqAccess<'de> for SeqAccess<'a, 'b, X, F>
where
    X: de::SeqAccess<'de>,
    F: Observe,
{
    type Error = X::Error;

    fn next_element_seed<T>(&mut self, seed: T) -> Result<Option<T::Value>, X::Error>
    where
        T: DeserializeSeed<'de>,
    {
        let path = self.callback.observer().index(self.path, self.index);
        self.index += 1;
        self.delegate
            .next_element_seed(TrackedSeed::new(seed, self.callback, path))
    }

    fn size_hint(&self) -> Option<usize> {
        self.delegate.size_hint()
    }
}

struct MapAccess<'a, 'b, 'de, X, F: 'b> {
    delegate: X,
    callback: &'b mut F,
    path: &'a Path<'a>,
    key: KeySlot<'de>,
}

impl<'a, 'b, 'de, X, F> MapAccess<'a, 'b, 'de, X, F> {
    fn new(delegate: X, callback: &'b mut F, path: &'a Path<'a>) -> Self {
        MapAccess {
            delegate,
            callback,
            path,
            key: KeySlot::new(),
        }
    }
}

impl<'a, 'b, 'de, X, F> de::MapAccess<'de> for MapAccess<'a, 'b, 'de, X, F>
where
    X: de::MapAccess<'de>,
    F: Observe,
{
    type Error = X::Error;

    fn next_key_seed<K>(&mut self, seed: K) -> Result<Option<K::Value>, X::Error>
    where
        K: DeserializeSeed<'de>,
    {
        self.delegate
            .next_key_seed(CaptureKey::new(seed, &mut self.key))
    }

    fn next_value_seed<V>(&mut self, seed: V) -> Result<V::Value, X::Error>
    where
        V: DeserializeSeed<'de>,
    {
        let key = self
            .key
            .take()
            .ok_or_else(|| de::Error::custom("non-string key"))?;
        let path = self.callback.observer().key(self.path, key);
        self.delegate
            .next_value_seed(TrackedSeed::new(seed, self.callback, path))
    }

    fn size_hint(&self) -> Option<usize> {
        self.delegate.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::parse::parse_capturing;
    use crate::{ObjectOrText, ParseErrorKind};

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)] // read by deserialization only
    struct Envelope {
        status: Option<String>,
        code: Option<i64>,
        rate: Option<f64>,
        result: Option<Inner>,
        items: Option<Vec<Inner>>,
        either: Option<Either>,
        lenient: Option<ObjectOrText>,
    }

    #[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
    struct Inner {
        status: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)] // read by deserialization only
    enum Either {
        Text(String),
        Object { status: String, extra: Option<bool> },
    }

    fn capture(body: &str, pointers: &[&str]) -> (Vec<String>, crate::parse::Captured) {
        let (parsed, found) =
            parse_capturing::<Envelope>(body.as_bytes(), pointers).expect("parses");
        let ignored = parsed.ignored.iter().map(ToString::to_string).collect();
        (ignored, found)
    }

    fn some(texts: &[Option<&str>]) -> crate::parse::Captured {
        Some(texts.iter().map(|t| t.map(str::to_owned)).collect())
    }

    #[test]
    fn captures_read_and_ignored_values_at_nested_pointers() {
        let body = r#"{"status":"FAIL","code":7,"rate":1.5,"result":{"status":"OK","why":"x"},
            "msg":"no","data":{"sid":"S1","n":[1,2]},"flag":true,"gone":null}"#;
        let pointers = [
            "/status",
            "/code",
            "/rate",
            "/result/status",
            "/msg",
            "/data/sid",
            "/flag",
            "/gone",
            "/absent",
            "/result/absent",
        ];
        let (ignored, found) = capture(body, &pointers);
        assert_eq!(
            found,
            some(&[
                Some("FAIL"),
                Some("7"),
                Some("1.5"),
                Some("OK"),
                Some("no"),
                Some("S1"),
                Some("true"),
                None,
                None,
                None
            ])
        );
        // The ignored list is exact while capturing.
        assert_eq!(ignored, ["result.why", "msg", "data", "flag", "gone"]);
        // Without pointers, the same list.
        let (again, found) = capture(body, &[]);
        assert_eq!(again, ignored);
        assert_eq!(found, Some(vec![]));
    }

    #[test]
    fn array_elements_are_reached_by_index_only() {
        let body =
            r#"{"items":[{"status":"A"},{"status":"B"}],"data":[{"sid":"S0"},{"sid":"S1"}]}"#;
        let (_, found) = capture(
            body,
            &[
                "/items/status",
                "/items/1/status",
                "/data/sid",
                "/data/1/sid",
            ],
        );
        assert_eq!(found, some(&[None, Some("B"), None, Some("S1")]));
    }

    #[test]
    fn values_a_model_buffers_are_captured() {
        let body = r#"{"either":{"status":"E","extra":true},"lenient":{"status":"L"}}"#;
        let (parsed, found) =
            parse_capturing::<Envelope>(body.as_bytes(), &["/either/status", "/lenient/status"])
                .expect("parses");
        assert!(
            matches!(parsed.value.either, Some(Either::Object { ref status, .. }) if status == "E")
        );
        assert_eq!(found, some(&[Some("E"), Some("L")]));
        let (_, found) = capture(r#"{"either":"text"}"#, &["/either", "/either/status"]);
        assert_eq!(found, some(&[Some("text"), None]));
    }

    #[test]
    fn a_pointer_on_a_container() {
        // In an ignored value: its JSON text, and the deeper pointers from it.
        let (_, found) = capture(r#"{"data":{"a":[1,{"b":2}]}}"#, &["/data", "/data/a/1/b"]);
        assert_eq!(found, some(&[Some(r#"{"a":[1,{"b":2}]}"#), Some("2")]));
        // In a value the model reads: not kept, so the captures are not to be trusted.
        let (_, found) = capture(r#"{"result":{"status":"OK"}}"#, &["/result"]);
        assert_eq!(found, None);
    }

    #[test]
    fn a_repeated_key_keeps_the_last_value() {
        let (_, found) = capture(r#"{"msg":"a","msg":"b"}"#, &["/msg"]);
        assert_eq!(found, some(&[Some("b")]));
    }

    #[test]
    fn bad_text_or_nesting_in_an_ignored_value_is_refused_with_its_place() {
        let deep = format!("{}{}", "[".repeat(MAX), "]".repeat(MAX));
        const MAX: usize = crate::MAX_NESTING;
        for (body, kind, path, column) in [
            (
                r#"{"msg":"ok","data":{"sid":"\ud800"}}"#.to_owned(),
                ParseErrorKind::LoneSurrogate,
                "data.sid",
                28,
            ),
            (
                // The first bracket past the limit, well inside the value.
                format!(r#"{{"status":"OK","data":{deep}}}"#),
                ParseErrorKind::TooDeep,
                "data",
                24 + MAX - 2,
            ),
        ] {
            let error = parse_capturing::<Envelope>(body.as_bytes(), &["/status", "/data/sid"])
                .expect_err("refused");
            assert_eq!(error.kind, kind, "{body}: {error}");
            if kind != ParseErrorKind::Syntax {
                assert!(error.path.to_string().starts_with(path), "{body}");
                assert_eq!(error.column, column, "{body}: {error}");
            }
        }
        let mut body = b"{\"data\":{\"x\":\"".to_vec();
        body.extend_from_slice(b"\xe4\xb8\"}}");
        let error = parse_capturing::<Envelope>(&body, &["/data/sid"]).expect_err("refused");
        assert_eq!(error.kind, ParseErrorKind::InvalidUtf8);
        assert_eq!(error.path.to_string(), "data.x");
        assert_eq!((error.line, error.column), (1, 15));
    }

    #[test]
    fn a_number_out_of_range_in_an_ignored_value_is_refused_like_value_does() {
        assert!(serde_json::from_str::<Value>(r#"{"x":1e400}"#).is_err());
        assert!(parse_capturing::<Envelope>(br#"{"x":1e400}"#, &[]).is_err());
    }
}
