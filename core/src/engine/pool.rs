//! Choosing X (and Y) from a pool of numbers, and how close each area is to
//! running out.
//!
//! The pool is a set of X numbers, each in an area (city code such as
//! `0755`) and with a status from X-number status pushes (PN §9.5). The
//! choice honours the binding rules (an X already carrying A or B is never
//! offered for the pair), the requested area (strictly, or falling back to
//! other areas in code order when asked), and the status (only `normal` X
//! take new bindings).
//!
//! # Which X, and why
//!
//! AXB: a user number may be on an X only once, so a user with k live
//! pairs in an area needs k different X there. Spreading new pairs evenly
//! would leave every X partly used and a busy user with nowhere to go
//! sooner; packing does the opposite. So for AXB the engine picks, among
//! the X that can take the pair, the one that already carries the most
//! pairs (best fit), which keeps the emptiest X free for busy users, and
//! stops at the 5000-pair cap. Ties go to the lowest number, so the choice
//! is deterministic.
//!
//! AX / AXYB AX (one A per X): any X without an owner; lowest number first.
//! AXE: the X with the fewest extensions in use (the platform recommends
//! about 200 A per X, so the load is spread). AXYB Y: the Y with the fewest
//! relations that is not this A's X and not already used by this AX
//! binding.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::model::Mode;
use super::rules::{self, XView};
use super::store::Store;
use crate::error::{Error, ErrorKind, Result};
use crate::number::Number;

/// An X number's status (PN §9.5 `status`), plus a local "blacklisted".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum XStatus {
    /// `"5"`: usable.
    #[default]
    Normal,
    /// `"9"`: paused; bindings, calls and SMS fail.
    Paused,
    /// `"10"`: unavailable; bindings, calls and SMS fail.
    Unavailable,
    /// `"11"`: no new bindings; existing ones keep working.
    BindFrozen,
    /// On the blacklist (complaints, arrears): new bindings get 1012102.
    /// Not a push status; set by the host or the emulator.
    Blacklisted,
}

impl XStatus {
    /// Every status, in stable-number order.
    pub const ALL: [Self; 5] = [
        Self::Normal,
        Self::Paused,
        Self::Unavailable,
        Self::BindFrozen,
        Self::Blacklisted,
    ];

    /// Stable number (index in [`XStatus::ALL`]).
    #[must_use]
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The status with this stable number.
    #[must_use]
    pub fn from_code(code: u32) -> Option<Self> {
        Self::ALL.get(code as usize).copied()
    }

    /// From a push's `status` text (`"5"`, `"9"`, `"10"`, `"11"`).
    #[must_use]
    pub fn from_push(status: &str) -> Option<Self> {
        match status {
            "5" => Some(Self::Normal),
            "9" => Some(Self::Paused),
            "10" => Some(Self::Unavailable),
            "11" => Some(Self::BindFrozen),
            _ => None,
        }
    }

    /// snake_case name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Paused => "paused",
            Self::Unavailable => "unavailable",
            Self::BindFrozen => "bind_frozen",
            Self::Blacklisted => "blacklisted",
        }
    }

    /// Whether calls through the X fail (its bindings are suspended).
    #[must_use]
    pub const fn is_down(self) -> bool {
        matches!(self, Self::Paused | Self::Unavailable)
    }

    /// Whether a new binding may use the X.
    #[must_use]
    pub const fn takes_new_bindings(self) -> bool {
        matches!(self, Self::Normal)
    }
}

impl fmt::Display for XStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `resultcode` 1011002 "Insufficient number of resources" (AX family).
pub const CODE_NO_X_AX: &str = "1011002";
/// `resultcode` 1012102: the X is blacklisted.
pub const CODE_BLACKLISTED: &str = "1012102";

/// Why the candidates of one choice were refused, counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Refusals {
    /// Numbers looked at.
    pub considered: usize,
    /// Not `normal` (paused, unavailable, frozen, blacklisted).
    pub unavailable: usize,
    /// Already carry A (AXB) or already have an owner (AX, AXYB).
    pub taken_by_a: usize,
    /// Already carry B (AXB).
    pub taken_by_b: usize,
    /// At their binding limit (5000 pairs, all extensions, 1000 relations).
    pub full: usize,
}

impl fmt::Display for Refusals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} numbers considered: {} not usable, {} already carry A, {} already carry B, {} full",
            self.considered, self.unavailable, self.taken_by_a, self.taken_by_b, self.full
        )
    }
}

/// What a new binding needs from an X.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Need {
    /// An AXB (or X-mode) pair.
    Pair { a: Number, b: Number },
    /// An owner (AX, AXYB AX, X-mode owner).
    Owner,
    /// An extension.
    Extension,
    /// A Y for a relation under the AX binding that owns `x`.
    Y { x: Number, a: Number },
}

impl Store {
    fn candidate(&self, x: Number, need: Need, r: &mut Refusals) -> Option<u32> {
        r.considered += 1;
        if !self.x_status(x).takes_new_bindings() {
            r.unavailable += 1;
            return None;
        }
        match need {
            Need::Pair { a, b } => {
                if self.owner_or_ext(x) {
                    r.taken_by_a += 1;
                    return None;
                }
                if self.axb_has_party(x, a) {
                    r.taken_by_a += 1;
                    return None;
                }
                if self.axb_has_party(x, b) {
                    r.taken_by_b += 1;
                    return None;
                }
                let n = self.axb_pair_count(x);
                if n >= rules::AXB_MAX_PAIRS_PER_X {
                    r.full += 1;
                    return None;
                }
                // Best fit: most pairs first.
                Some(u32::MAX - n as u32)
            }
            Need::Owner => {
                if self.ax_owner(x).is_some() || self.x_info(x).is_some_and(|i| !i.slots.is_empty())
                {
                    r.taken_by_a += 1;
                    return None;
                }
                Some(0)
            }
            Need::Extension => {
                let pool = rules::extension_pool_size(self.ext_digits).unwrap_or(0);
                let n = self.axe_extension_count(x);
                if self
                    .x_info(x)
                    .is_some_and(|i| i.owner.is_some() || i.pairs > 0)
                {
                    r.taken_by_a += 1;
                    return None;
                }
                if n >= pool {
                    r.full += 1;
                    return None;
                }
                Some(n as u32)
            }
            Need::Y { x: ax, a } => {
                if x == ax || self.ax_owner(x).is_some() {
                    r.taken_by_a += 1;
                    return None;
                }
                if self.route_entry(x, a).is_some() {
                    r.taken_by_a += 1;
                    return None;
                }
                let n = self.y_relation_count(x);
                if n >= rules::Y_MAX_RELATIONS {
                    r.full += 1;
                    return None;
                }
                Some(n as u32)
            }
        }
    }

    fn owner_or_ext(&self, x: Number) -> bool {
        self.x_info(x)
            .is_some_and(|i| i.owner.is_some() || i.exts > 0)
    }

    /// Choose an X from the pool for `need`, from `area` first (when given)
    /// and from other areas when `fallback` (or when there is no area).
    pub(crate) fn pick(&self, need: Need, area: Option<&str>, fallback: bool) -> Result<Number> {
        let mut refusals = Refusals::default();
        let best_in = |xs: &[Number], r: &mut Refusals| {
            xs.iter()
                .filter_map(|&x| self.candidate(x, need, r).map(|score| (score, x)))
                .min()
                .map(|(_, x)| x)
        };
        if let Some(area) = area {
            match self.areas.get(area) {
                Some(xs) => {
                    if let Some(x) = best_in(xs, &mut refusals) {
                        return Ok(x);
                    }
                }
                None if !fallback => {
                    return Err(self.exhausted(need, Some(area), false, &refusals));
                }
                None => {}
            }
            if !fallback {
                return Err(self.exhausted(need, Some(area), false, &refusals));
            }
        }
        for (name, xs) in &self.areas {
            if Some(&**name) == area {
                continue;
            }
            if let Some(x) = best_in(xs, &mut refusals) {
                return Ok(x);
            }
        }
        Err(self.exhausted(need, area, fallback || area.is_none(), &refusals))
    }

    fn exhausted(&self, need: Need, area: Option<&str>, anywhere: bool, r: &Refusals) -> Error {
        let code = match (self.mode, need) {
            (Mode::Ax | Mode::Axyb, Need::Owner) => CODE_NO_X_AX,
            (_, Need::Extension) if r.full > 0 && r.full == r.considered => {
                rules::CODE_NO_IDLE_EXTENSION
            }
            _ => rules::CODE_NO_RESOURCE,
        };
        let place = match (area, anywhere) {
            (Some(a), false) => format!("in area {a}"),
            (Some(a), true) => format!("in area {a} or any other area"),
            (None, _) => "in the pool".to_owned(),
        };
        let what = match need {
            Need::Y { .. } => "Y",
            _ => "X",
        };
        Error::new(
            ErrorKind::PoolExhausted,
            format!("no {what} {place} can take the binding ({r})"),
        )
        .with_platform_code(code)
    }

    /// How close each area is to running out.
    pub(crate) fn pressure(&self) -> Vec<AreaPressure> {
        let per_x_capacity = match self.mode {
            Mode::Axb | Mode::X => rules::AXB_MAX_PAIRS_PER_X,
            Mode::Axe => rules::extension_pool_size(self.ext_digits).unwrap_or(0),
            Mode::Ax | Mode::Axyb => 1,
        };
        self.areas
            .iter()
            .map(|(area, xs)| {
                let mut p = AreaPressure {
                    area: area.to_string(),
                    numbers: xs.len(),
                    ..AreaPressure::default()
                };
                let mut per_user: std::collections::HashMap<Number, usize> =
                    std::collections::HashMap::new();
                for &x in xs {
                    let usable = self.x_status(x).takes_new_bindings();
                    let info = self.x_info(x);
                    let used = match self.mode {
                        Mode::Axb | Mode::X => info.map_or(0, |i| i.pairs as usize),
                        Mode::Axe => info.map_or(0, |i| i.exts as usize),
                        Mode::Ax | Mode::Axyb => {
                            usize::from(info.is_some_and(|i| i.owner.is_some()))
                        }
                    };
                    p.bindings += used;
                    if usable {
                        p.usable += 1;
                        p.capacity += per_x_capacity;
                        p.free += per_x_capacity.saturating_sub(used);
                    }
                    if matches!(self.mode, Mode::Axb | Mode::X) {
                        if let Some(info) = info {
                            for &s in &info.slots {
                                if let Some((a, b)) = self.pair_of(s) {
                                    *per_user.entry(a).or_default() += 1;
                                    *per_user.entry(b).or_default() += 1;
                                }
                            }
                        }
                    }
                }
                let busiest = per_user.values().copied().max().unwrap_or(0);
                p.busiest_party_pairs = busiest;
                p.busiest_party_headroom = p.usable.saturating_sub(busiest);
                p.utilization = if p.capacity == 0 {
                    1.0
                } else {
                    (p.capacity - p.free) as f64 / p.capacity as f64
                };
                p
            })
            .collect()
    }
}

/// How close one area of the pool is to running out.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AreaPressure {
    /// The area (city code).
    pub area: String,
    /// X numbers in the area.
    pub numbers: usize,
    /// Of those, how many take new bindings (status normal).
    pub usable: usize,
    /// Live bindings on the area's numbers.
    pub bindings: usize,
    /// Bindings the usable numbers can carry in all (5000 pairs, the
    /// extension pool, or 1 owner per X).
    pub capacity: usize,
    /// Bindings still possible on the usable numbers.
    pub free: usize,
    /// `1 - free / capacity` (1.0 when nothing is usable).
    pub utilization: f64,
    /// AXB: the most pairs any one user number has in the area. That user
    /// can get at most `usable - busiest_party_pairs` more pairs here,
    /// whatever the free capacity: the first limit a busy user meets.
    pub busiest_party_pairs: usize,
    /// AXB: `usable - busiest_party_pairs`.
    pub busiest_party_headroom: usize,
}
