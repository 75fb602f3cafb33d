//! The trait contracts of a crate, and the audited impl methods that receive them: what
//! the crate-wide audit collects on its first reading of the files, so that the second
//! reading of a file expands its impls with the contracts of traits written elsewhere.

use crate::engine;
use crate::model::Region;

/// A required method of a trait under `#[distaudit::audit]` whose `#[coordination]` is the
/// contract of every audited impl: its checks read the parameters by these names.
#[derive(Clone, Debug)]
pub struct TraitContract {
    /// `module::Trait` in the crate, identifiers unraw'd.
    pub trait_path: String,
    pub method: String,
    pub params: Vec<Option<String>>,
    /// Its patterns (aliases resolved): each impl method embodies them.
    pub patterns: Vec<String>,
    /// Its arguments as written, which each impl method's annotation receives.
    pub args: String,
}

/// The trait contracts of one crate, once all its files are read: what the second reading
/// of a file with audited trait impls expands their methods with, as the build does.
#[derive(Clone, Debug, Default)]
pub struct CrateContracts {
    /// Every trait of the crate (`module::Trait`, unraw'd).
    pub traits: Vec<String>,
    pub contracts: Vec<TraitContract>,
}

impl CrateContracts {
    /// The contract of `method` of the trait an impl in `module` names as `trait_path`:
    /// the first of the crate's traits the path can be, read as rustc reads it from the
    /// module outwards; when it names none of them (a trait brought in by a `use` line,
    /// which is not read), the crate's one trait with a contract of that name.
    #[must_use]
    pub fn of(&self, module: &[String], trait_path: &str, method: &str) -> Option<usize> {
        let scope = engine::PathScope {
            module,
            self_type: None,
            audited_methods: None,
        };
        let candidates = match engine::delegation_target(trait_path, &scope) {
            engine::PathTarget::Elsewhere(c) => c,
            engine::PathTarget::SameImpl(_) => Vec::new(),
        };
        let by_path = candidates
            .iter()
            .map(|c| c.join("::"))
            .find(|path| self.traits.contains(path));
        let trait_path = by_path.or_else(|| {
            let name = trait_path.rsplit("::").next().unwrap_or_default();
            let mut named: Vec<&str> = self
                .contracts
                .iter()
                .map(|c| c.trait_path.as_str())
                .filter(|p| p.rsplit("::").next() == Some(name))
                .collect();
            named.dedup();
            (named.len() == 1).then(|| named[0].to_string())
        })?;
        self.contracts
            .iter()
            .position(|c| c.trait_path == trait_path && c.method == method)
    }
}

/// A method of an impl of a trait under `#[distaudit::audit]`: it receives the trait's
/// contract for that method, if the trait has one.
#[derive(Clone, Debug)]
pub struct ContractImpl {
    /// The module the impl is written in.
    pub module: Vec<String>,
    /// The trait as the impl names it (`Clock`, `crate::time::Clock`), identifiers only.
    pub trait_path: String,
    /// `module::Type::method`.
    pub item: String,
    pub method: String,
}

/// A method of an audited impl that `#[async_trait]` rewrote before the audit saw it, of a
/// shape a type invariant is checked after (`&mut self`, a constructor).
#[derive(Clone, Debug)]
pub struct AfterAsyncTrait {
    /// The impl's self type, by name.
    pub self_ty: String,
    /// `module::Type::method`.
    pub item: String,
    /// The method's name, where the build reports it.
    pub region: Option<Region>,
    pub file: String,
}

/// Each audited impl method paired with the trait contract it receives
/// ([`CrateContracts::of`]): (index in `impls`, index in `contracts.contracts`).
#[must_use]
pub fn contract_pairs(contracts: &CrateContracts, impls: &[ContractImpl]) -> Vec<(usize, usize)> {
    impls
        .iter()
        .enumerate()
        .filter_map(|(n, imp)| {
            contracts
                .of(&imp.module, &imp.trait_path, &imp.method)
                .map(|c| (n, c))
        })
        .collect()
}
