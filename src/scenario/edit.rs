//! Edits of a scenario's structure as typed operations: add, remove, duplicate and move the
//! items of its lists (packages, aid streams, contingents, sources, correlations), add and
//! remove package attributes, switch how a side's losses are given, and convert an input's
//! distribution to another kind (the maths in [`super::convert`]). The app's inputs panel asks for them and records each as an
//! undo step; they keep the scenario's cross-references consistent (correlations follow the
//! items they name, an attribute lives in both sides' weights).

use super::convert::DistKind;
use super::input::Input;
use super::registry::BUILTIN_ATTRIBUTES;
use super::types::{
    AidStream, Contingent, Correlation, Package, Scenario, Schedule, SideRef, Source, Territory,
};

/// A list of items in a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum List {
    /// `bargaining.packages`.
    Packages,
    /// `aid`.
    AidStreams,
    /// `troops`.
    Contingents,
    /// `meta.sources`.
    Sources,
    /// `correlations`.
    Correlations,
}

impl List {
    /// How many items the list holds in `sc`.
    pub fn len(self, sc: &Scenario) -> usize {
        match self {
            List::Packages => sc.bargaining.packages.len(),
            List::AidStreams => sc.aid.len(),
            List::Contingents => sc.troops.len(),
            List::Sources => sc.meta.sources.len(),
            List::Correlations => sc.correlations.len(),
        }
    }

    /// The start of the field paths of its items' inputs (`aid` in `aid[2].amount_usd_bn`),
    /// for lists whose items hold inputs.
    fn path(self) -> Option<&'static str> {
        match self {
            List::Packages => Some("bargaining.packages"),
            List::AidStreams => Some("aid"),
            List::Contingents => Some("troops"),
            List::Sources | List::Correlations => None,
        }
    }

    /// The name the app's undo history gives edits of this list.
    fn undo_key(self) -> &'static str {
        match self {
            List::Packages => "bargaining.packages",
            List::AidStreams => "aid",
            List::Contingents => "troops",
            List::Sources => "meta.sources",
            List::Correlations => "correlations",
        }
    }
}

/// What to do with one item of a list, by its index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemOp {
    /// Remove it (and the correlations of its inputs).
    Remove(usize),
    /// Insert a copy right after it (a package or source copy gets a unique name or id;
    /// a correlation pair cannot be declared twice, so correlations are not duplicated).
    Duplicate(usize),
    /// Swap it with the item before it.
    MoveUp(usize),
    /// Swap it with the item after it.
    MoveDown(usize),
}

/// One edit of a scenario's structure.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// A new package (unique name, freeze on the line, no other terms).
    AddPackage,
    /// A new monthly aid stream of $1bn to side `a`.
    AddAidStream,
    /// A new contingent of 5,000 troops for side `b`.
    AddContingent,
    /// A new source with a unique id and a placeholder citation.
    AddSource,
    /// A rank correlation of 0.5 between two different inputs (field paths) not yet
    /// correlated.
    AddCorrelation {
        /// The first input's field path.
        a: String,
        /// The second input's field path.
        b: String,
    },
    /// Remove, duplicate or move an item of a list.
    Item(List, ItemOp),
    /// A further package attribute: spaces become underscores; weighted 0 by both sides.
    AddAttribute(String),
    /// Remove a further attribute from both sides' weights and from every package.
    RemoveAttribute(String),
    /// Include a further attribute in a package (at level 1) or leave it out.
    IncludeAttribute {
        /// The package's index.
        package: usize,
        /// The attribute's name.
        attribute: String,
        /// Include it (true) or leave it out.
        included: bool,
    },
    /// Drop a side's own loss rate: its losses then follow from the other side's and the
    /// exchange ratio (2 when the scenario has none). Only when both sides give one.
    DeriveLosses(SideRef),
    /// Give a side its own loss rate (10,000 a month); the exchange ratio is then unused and
    /// removed. Only when the side has none.
    GiveLosses(SideRef),
    /// Convert the distribution of the input at a field path to another kind (see
    /// `Dist::converted`).
    ConvertDistribution {
        /// The input's field path.
        path: String,
        /// The kind to convert to.
        kind: DistKind,
    },
}

impl Edit {
    /// The name under which the app's undo history records the edit: edits of one name in
    /// quick succession make one undo step.
    pub fn undo_key(&self) -> String {
        match self {
            Edit::AddPackage => List::Packages.undo_key().into(),
            Edit::AddAidStream => List::AidStreams.undo_key().into(),
            Edit::AddContingent => List::Contingents.undo_key().into(),
            Edit::AddSource => List::Sources.undo_key().into(),
            Edit::AddCorrelation { .. } => List::Correlations.undo_key().into(),
            Edit::Item(list, _) => list.undo_key().into(),
            Edit::AddAttribute(_) | Edit::RemoveAttribute(_) => "bargaining.attributes".into(),
            Edit::IncludeAttribute { package, .. } => format!("bargaining.packages[{package}]"),
            Edit::DeriveLosses(s) => format!("sides.{}.losses_per_month", side_letter(*s)),
            Edit::GiveLosses(_) => "losses".into(),
            Edit::ConvertDistribution { path, .. } => path.clone(),
        }
    }
}

fn side_letter(s: SideRef) -> &'static str {
    match s {
        SideRef::A => "a",
        SideRef::B => "b",
    }
}

/// `wanted`, or `wanted 2`, `wanted 3`, ... : the first that is not among `existing`.
pub fn unique_name<'a>(existing: impl Iterator<Item = &'a str>, wanted: &str) -> String {
    let names: Vec<&str> = existing.collect();
    if !names.contains(&wanted) {
        return wanted.to_string();
    }
    (2..)
        .map(|k| format!("{wanted} {k}"))
        .find(|n| !names.contains(&n.as_str()))
        .unwrap_or_else(|| wanted.to_string())
}

/// Carries out `op` on `items`; returns where each old index went (`None`: removed), or
/// `None` when the index is out of range or the move leaves the list. `copy` makes the
/// duplicate of an item.
fn apply_op<T: Clone>(
    items: &mut Vec<T>,
    op: ItemOp,
    copy: impl FnOnce(&T, &[T]) -> T,
) -> Option<Box<dyn Fn(usize) -> Option<usize>>> {
    let n = items.len();
    match op {
        ItemOp::Remove(i) if i < n => {
            items.remove(i);
            Some(Box::new(move |k| {
                (k != i).then_some(if k > i { k - 1 } else { k })
            }))
        }
        ItemOp::Duplicate(i) if i < n => {
            let c = copy(&items[i], items);
            items.insert(i + 1, c);
            Some(Box::new(move |k| Some(if k > i { k + 1 } else { k })))
        }
        ItemOp::MoveUp(i) if i > 0 && i < n => {
            items.swap(i, i - 1);
            Some(Box::new(move |k| Some(swapped(k, i - 1, i))))
        }
        ItemOp::MoveDown(i) if i + 1 < n => {
            items.swap(i, i + 1);
            Some(Box::new(move |k| Some(swapped(k, i, i + 1))))
        }
        _ => None,
    }
}

/// Where index `k` goes when the items at `a` and `b` trade places.
fn swapped(k: usize, a: usize, b: usize) -> usize {
    if k == a {
        b
    } else if k == b {
        a
    } else {
        k
    }
}

/// An item known by a name (or an id) that its copies change.
trait Named: Clone {
    fn name(&self) -> &str;
    fn name_mut(&mut self) -> &mut String;

    /// A copy named "<name> (copy)", numbered apart from the names of `items`.
    fn copy_among(&self, items: &[Self]) -> Self {
        let mut copy = self.clone();
        let wanted = format!("{} (copy)", self.name());
        *copy.name_mut() = unique_name(items.iter().map(Named::name), &wanted);
        copy
    }
}

macro_rules! named {
    ($($t:ty => $field:ident),*) => {$(
        impl Named for $t {
            fn name(&self) -> &str {
                &self.$field
            }
            fn name_mut(&mut self) -> &mut String {
                &mut self.$field
            }
        }
    )*};
}

named!(Package => name, AidStream => name, Contingent => name, Source => id);

impl Scenario {
    /// Carries out one structural edit. Returns false when it does not apply (an index out of
    /// range, a move past either end, a correlation that exists already, an attribute name
    /// that is empty or taken, a losses switch that does not fit the sides) and leaves the
    /// scenario as it was.
    pub fn apply(&mut self, edit: &Edit) -> bool {
        match edit {
            Edit::AddPackage => {
                let name = unique_name(
                    self.bargaining.packages.iter().map(|p| p.name.as_str()),
                    "New package",
                );
                self.bargaining.packages.push(Package {
                    name,
                    description: String::new(),
                    territory: Territory::Line,
                    security_guarantee: Input::fixed(0.0),
                    sanctions_relief: Input::fixed(0.0),
                    neutrality: Input::fixed(0.0),
                    force_cap_a: None,
                    force_cap_b: None,
                    other: Default::default(),
                });
                true
            }
            Edit::AddAidStream => {
                let recipient = self.sides.a.id.clone();
                self.aid.push(AidStream {
                    name: format!("New aid stream {}", self.aid.len() + 1),
                    donor: "Donor".into(),
                    recipient,
                    amount_usd_bn: Input::fixed(1.0),
                    schedule: Schedule::Monthly { from_month: 1 },
                    lag_months: 1,
                    cutoff: None,
                });
                true
            }
            Edit::AddContingent => {
                let recipient = self.sides.b.id.clone();
                self.troops.push(Contingent {
                    name: format!("New contingent {}", self.troops.len() + 1),
                    contributor: "Contributor".into(),
                    recipient,
                    size: Input::fixed(5_000.0),
                    arrival_month: Input::fixed(1.0),
                    effectiveness: Input::fixed(0.5),
                });
                true
            }
            Edit::AddSource => {
                let id = unique_name(
                    self.meta.sources.iter().map(|s| s.id.as_str()),
                    "new-source",
                );
                self.meta.sources.push(Source {
                    id,
                    citation: "Author, title, publisher".into(),
                    url: None,
                    publication: None,
                    date: None,
                });
                true
            }
            Edit::AddCorrelation { a, b } => {
                let exists = self
                    .correlations
                    .iter()
                    .any(|c| (&c.a == a && &c.b == b) || (&c.a == b && &c.b == a));
                if a == b || exists {
                    return false;
                }
                self.correlations.push(Correlation {
                    a: a.clone(),
                    b: b.clone(),
                    rank: 0.5,
                });
                true
            }
            Edit::Item(list, op) => self.apply_item(*list, *op),
            Edit::AddAttribute(name) => {
                let name = name.trim().replace(' ', "_");
                let weights = &mut self.bargaining.weights;
                if name.is_empty()
                    || BUILTIN_ATTRIBUTES.contains(&name.as_str())
                    || weights.a.other.contains_key(&name)
                {
                    return false;
                }
                weights.a.other.insert(name.clone(), Input::fixed(0.0));
                weights.b.other.insert(name, Input::fixed(0.0));
                true
            }
            Edit::RemoveAttribute(name) => {
                let b = &mut self.bargaining;
                let mut removed = b.weights.a.other.remove(name).is_some();
                removed |= b.weights.b.other.remove(name).is_some();
                for p in &mut b.packages {
                    removed |= p.other.remove(name).is_some();
                }
                removed
            }
            Edit::IncludeAttribute {
                package,
                attribute,
                included,
            } => {
                let Some(p) = self.bargaining.packages.get_mut(*package) else {
                    return false;
                };
                if *included == p.other.contains_key(attribute) {
                    return false;
                }
                if *included {
                    p.other.insert(attribute.clone(), Input::fixed(1.0));
                } else {
                    p.other.remove(attribute);
                }
                true
            }
            Edit::DeriveLosses(s) => {
                let both = self.sides.a.losses_per_month.is_some()
                    && self.sides.b.losses_per_month.is_some();
                if !both {
                    return false;
                }
                match s {
                    SideRef::A => self.sides.a.losses_per_month = None,
                    SideRef::B => self.sides.b.losses_per_month = None,
                }
                self.battlefield
                    .exchange_ratio
                    .get_or_insert_with(|| Input::fixed(2.0));
                true
            }
            Edit::GiveLosses(s) => {
                let losses = match s {
                    SideRef::A => &mut self.sides.a.losses_per_month,
                    SideRef::B => &mut self.sides.b.losses_per_month,
                };
                if losses.is_some() {
                    return false;
                }
                *losses = Some(Input::fixed(10_000.0));
                self.battlefield.exchange_ratio = None;
                true
            }
            Edit::ConvertDistribution { path, kind } => {
                let Some(key) = self
                    .inputs()
                    .into_iter()
                    .find(|i| &i.path == path)
                    .map(|i| i.key)
                else {
                    return false;
                };
                let spec = self.effective_spec(key);
                let mut changed = false;
                self.update_input(path, |input| {
                    let value = input.value.converted(*kind, spec);
                    changed = value != input.value;
                    input.value = value;
                });
                changed
            }
        }
    }

    fn apply_item(&mut self, list: List, op: ItemOp) -> bool {
        let moved = match list {
            List::Packages => apply_op(&mut self.bargaining.packages, op, Named::copy_among),
            List::AidStreams => apply_op(&mut self.aid, op, Named::copy_among),
            List::Contingents => apply_op(&mut self.troops, op, Named::copy_among),
            List::Sources => apply_op(&mut self.meta.sources, op, Named::copy_among),
            List::Correlations => {
                if matches!(op, ItemOp::Duplicate(_)) {
                    return false;
                }
                apply_op(&mut self.correlations, op, |c, _| c.clone())
            }
        };
        let Some(new_index) = moved else {
            return false;
        };
        if let Some(path) = list.path() {
            self.remap_item_paths(path, new_index);
        }
        if list == List::Packages {
            // Levers back packages by name: a removed package leaves them, and a lever that
            // backs nothing any more goes.
            let names: Vec<String> = self
                .bargaining
                .packages
                .iter()
                .map(|p| p.name.clone())
                .collect();
            for lever in &mut self.pressure {
                lever.backs.retain(|b| names.contains(b));
            }
            self.pressure.retain(|l| !l.backs.is_empty());
        }
        true
    }
}

#[cfg(test)]
mod tests;
