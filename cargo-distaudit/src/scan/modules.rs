//! Where the next files are: `mod name;` declarations (every `#[path]` branch) and those
//! written inside `macro_rules!` bodies.

use super::attrs::path_attrs;
use super::{Scope, Walker};
use crate::model::Region;
use proc_macro2::TokenStream;
use std::path::{Path, PathBuf};

/// A `mod name;` found in a file, to be read next.
#[derive(Clone, Debug)]
pub struct ChildModule {
    pub module: Vec<String>,
    /// Candidate files, in the order the compiler tries them (every `cfg_attr` branch of
    /// `#[path]` too: all are read).
    pub candidates: Vec<PathBuf>,
    /// Found through `#[path]`: the file then owns its directory, like a `mod.rs`.
    pub via_path: bool,
    pub test_only: bool,
    /// Declared under `#[cfg(..)]`: a missing file is then not an error.
    pub cfg_gated: bool,
    /// Where the declaration is, for the error when no candidate exists.
    pub region: Option<Region>,
}

impl Walker<'_, '_> {
    /// `mod name;` inside a `macro_rules!` body (serde declares its modules in a
    /// `crate_root!` macro): followed as a best effort, as if declared beside the file,
    /// one module up. A missing file is not reported: the guess may be wrong.
    pub(super) fn modules_in_macro(&mut self, tokens: &TokenStream, scope: &Scope) {
        use proc_macro2::TokenTree;
        let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
        for (i, t) in trees.iter().enumerate() {
            match t {
                TokenTree::Group(g) => self.modules_in_macro(&g.stream(), scope),
                TokenTree::Ident(kw) if kw == "mod" => {
                    let follows_dollar =
                        i > 0 && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '$');
                    if let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(semi))) =
                        (trees.get(i + 1), trees.get(i + 2))
                        && semi.as_char() == ';'
                        && !follows_dollar
                    {
                        let name = name.to_string();
                        let dir = self
                            .ctx
                            .path
                            .parent()
                            .unwrap_or(Path::new(""))
                            .to_path_buf();
                        let mut module = scope.module.clone();
                        module.pop();
                        module.push(name.clone());
                        self.out.children.push(ChildModule {
                            candidates: vec![
                                dir.join(format!("{name}.rs")),
                                dir.join(&name).join("mod.rs"),
                            ],
                            via_path: false,
                            module,
                            test_only: scope.test_only,
                            cfg_gated: true,
                            region: None,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// Where `mod name;` lives: `#[path]` (every `cfg_attr` branch too), else `name.rs`
    /// or `name/mod.rs` beside the file (or in its own directory for a non-mod.rs file).
    pub(super) fn module_files(
        &self,
        name: &str,
        attrs: &[syn::Attribute],
        inline: &[String],
    ) -> (Vec<PathBuf>, bool) {
        let file_dir = self
            .ctx
            .path
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let mut dir = file_dir.clone();
        if !self.ctx.owns_dir
            && let Some(stem) = self.ctx.path.file_stem()
        {
            dir.push(stem);
        }
        for d in inline {
            dir.push(d);
        }
        let by_path: Vec<PathBuf> = path_attrs(attrs)
            .into_iter()
            .map(|p| {
                // Outside inline modules `#[path]` is relative to the file's directory;
                // inside them, to the directory the inline modules stand for.
                if inline.is_empty() {
                    file_dir.join(&p)
                } else {
                    dir.join(&p)
                }
            })
            .collect();
        if by_path.is_empty() {
            (
                vec![
                    dir.join(format!("{name}.rs")),
                    dir.join(name).join("mod.rs"),
                ],
                false,
            )
        } else {
            (by_path, true)
        }
    }
}
