//! The command line: cargo's subcommand convention, the selection flags, the commands.

use crate::adopt::{self, Baseline};
use crate::engine::Severity;
use crate::error::CliError;
use crate::model::Issue;
use crate::output::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, Format, Output, Report};
use crate::report::Counts;
use crate::workspace::{self, Audit, Selection};
use crate::{design, suggest};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const ABOUT: &str = "The crate-wide coordination audit of distaudit";
const LONG_ABOUT: &str = "\
Audits every source file of every target of the selected packages: annotated items get
exactly the findings #[coordination] gives them, coordination code nobody annotated is
reported as uncited (DA0060 BLOCK when a name and a behaviour match, DA0061 WARN on a name
only), and the anti-patterns are found everywhere.

cargo distaudit reads source text, following `mod` declarations (#[path] and every cfg
branch included). Items produced by other macros (macro_rules! invocations, derives,
attribute macros other than distaudit's) are invisible to it.

Exit code: 0 clean, 1 a BLOCK (or a WARN under --deny warnings), 2 could not run.";

#[derive(Parser, Debug)]
#[command(name = "cargo", bin_name = "cargo", version, about = ABOUT)]
pub enum Cargo {
    #[command(about = ABOUT, long_about = LONG_ABOUT, version)]
    Distaudit(Cli),
}

#[derive(Args, Debug)]
pub struct Cli {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text, global = true)]
    pub format: Format,
    /// `--deny warnings`: a WARN fails the run too.
    #[arg(long, value_enum, global = true)]
    pub deny: Option<Deny>,
    /// A baseline file: only findings not in it fail the run; gone ones are reported.
    #[arg(long, global = true)]
    pub baseline: Option<PathBuf>,
    /// A test run's record of evaluated checks (the directory `DISTAUDIT_COVERAGE` named):
    /// the report's coverage is then measured rather than inferred.
    #[arg(long, global = true)]
    pub coverage: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct SelectArgs {
    /// Path to Cargo.toml.
    #[arg(long, global = true)]
    pub manifest_path: Option<PathBuf>,
    /// Package(s) to audit.
    #[arg(short = 'p', long = "package", global = true)]
    pub package: Vec<String>,
    /// Audit every member of the workspace.
    #[arg(long, global = true)]
    pub workspace: bool,
    /// Exclude package(s) from the audit.
    #[arg(long, global = true)]
    pub exclude: Vec<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Deny {
    Warnings,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Audit the workspace (the default).
    Check,
    /// Write the current findings to a baseline file (default distaudit-baseline.json at
    /// the workspace root); later runs with --baseline fail only on new findings.
    Baseline {
        /// Where to write it.
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
    /// Print the design-mode decision record of an annotated item.
    Record {
        /// `module::path::Item` (crate-relative; `crate::` and the crate name accepted).
        item: String,
    },
    /// Check markdown design records written in the design-mode format.
    LintDocs {
        /// Markdown files, or directories searched for *.md.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// List the `[[evidence]]` links of distaudit.toml: each one's state (COVERED, OUTDATED,
    /// ORPHANED) and the fingerprint of its target now, to record when re-confirming.
    Evidence,
    /// Propose #[coordination(..)] lines from free-text references in doc comments.
    Suggest {
        /// Print a patch.
        #[arg(long)]
        diff: bool,
        /// Write the annotations into the files (nothing is written without it).
        #[arg(long)]
        write: bool,
    },
}

/// Parse the process's arguments and run; returns the exit code.
#[must_use]
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().collect();
    run(args)
}

/// Run with explicit arguments (`cargo-distaudit distaudit ...` or `cargo distaudit ...`
/// as cargo passes it). Prints to stdout/stderr; returns the exit code.
#[must_use]
pub fn run(mut args: Vec<String>) -> i32 {
    // Run directly without the `distaudit` word: accept that too.
    if args.get(1).is_none_or(|a| a != "distaudit") {
        args.insert(1, "distaudit".into());
    }
    let Cargo::Distaudit(cli) = match Cargo::try_parse_from(&args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
            let _ = e.print();
            return code;
        }
    };
    match execute(&cli) {
        Ok(out) => {
            print!("{}", out.stdout);
            eprint!("{}", out.stderr);
            out.code
        }
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}

fn selection(s: &SelectArgs) -> Selection {
    Selection {
        manifest_path: s.manifest_path.clone(),
        packages: s.package.clone(),
        workspace: s.workspace,
        exclude: s.exclude.clone(),
    }
}

/// The audit with exemptions applied: (audit, issues, counts).
///
/// # Errors
/// When the workspace cannot be read.
pub fn audited(
    select: &SelectArgs,
    baseline: Option<&PathBuf>,
) -> Result<(Audit, Vec<Issue>, Counts), CliError> {
    let (root, packages, context) = workspace::packages_and_context(&selection(select))?;
    let mut audit = crate::reading::audit(&root, &packages, &context);
    let mut issues = std::mem::take(&mut audit.issues);
    audit.evidence.links = crate::evidence::check(&audit);
    issues.extend(crate::evidence::issues(
        &root,
        &audit.evidence.links,
        &audit.items,
    ));
    let mut exemptions = Vec::new();
    for (krate, registry) in &audit.registries {
        exemptions.extend(adopt::exemptions(&root, krate, registry));
    }
    let exempted = adopt::apply_exemptions(&mut issues, &exemptions, adopt::today());
    let mut baselined = 0;
    if let Some(path) = baseline {
        let text = std::fs::read_to_string(path).map_err(|source| CliError::ReadBaseline {
            path: path.clone(),
            source,
        })?;
        let b: Baseline = serde_json::from_str(&text).map_err(|source| CliError::NotABaseline {
            path: path.clone(),
            source,
        })?;
        baselined = adopt::apply_baseline(&mut issues, &b, &workspace::shown(&root, path));
    }
    issues.sort_by_key(Issue::sort_key);
    let counts = Counts::of(&issues, exempted, baselined);
    Ok((audit, issues, counts))
}

/// Run a parsed command.
///
/// # Errors
/// When the command cannot run at all (exit code 2).
pub fn execute(cli: &Cli) -> Result<Output, CliError> {
    let deny_warn = cli.deny == Some(Deny::Warnings);
    match &cli.command {
        None | Some(Command::Check) => {
            let (mut audit, issues, counts) = audited(&cli.select, cli.baseline.as_ref())?;
            if let Some(path) = &cli.coverage {
                audit.evidence.coverage = Some(crate::evidence::measured::Record::read(path)?);
            }
            let summary = format!(
                "distaudit: {} BLOCK, {} WARN in {} crate(s), {} files, {} lines ({} exempted, {} baselined)",
                counts.block,
                counts.warn,
                audit.crates.len(),
                audit.files,
                audit.lines,
                counts.exempted,
                counts.baselined
            );
            let writer = cli.format.writer();
            let stdout = writer.write(&Report {
                audit: &audit,
                issues: &issues,
                counts,
                summary: &summary,
                registry: &crate::engine::default_registry(),
            });
            let fails = counts.block > 0 || (deny_warn && counts.warn > 0);
            Ok(Output {
                stdout,
                stderr: if writer.summary_on_stderr() {
                    summary + "\n"
                } else {
                    String::new()
                },
                code: if fails { EXIT_FINDINGS } else { EXIT_CLEAN },
            })
        }
        Some(Command::Baseline { output }) => {
            let (audit, issues, _) = audited(&cli.select, None)?;
            let path = output
                .clone()
                .unwrap_or_else(|| audit.root.join("distaudit-baseline.json"));
            let b = adopt::baseline_of(&issues);
            let text = serde_json::to_string_pretty(&b)? + "\n";
            std::fs::write(&path, text).map_err(|source| CliError::Write {
                path: path.clone(),
                source,
            })?;
            Ok(Output {
                stdout: String::new(),
                stderr: format!(
                    "distaudit: wrote {} finding(s) to {}\n",
                    b.findings.len(),
                    path.display()
                ),
                code: EXIT_CLEAN,
            })
        }
        Some(Command::Record { item }) => {
            let (audit, issues, _) = audited(&cli.select, None)?;
            design::record(&audit, &issues, item).map(|stdout| Output {
                stdout,
                stderr: String::new(),
                code: EXIT_CLEAN,
            })
        }
        Some(Command::LintDocs { paths }) => {
            let registry = match &cli.select.manifest_path {
                Some(m) => crate::engine::project_registry(
                    m.parent().unwrap_or(std::path::Path::new(".")),
                )?,
                None => crate::engine::default_registry(),
            };
            let issues = design::lint_paths(&registry, paths)?;
            let counts = Counts::of(&issues, 0, 0);
            let summary = format!(
                "distaudit lint-docs: {} BLOCK, {} WARN",
                counts.block, counts.warn
            );
            // Documents are not crates: their markdown report is the text one.
            let writer = match cli.format {
                Format::Markdown => Format::Text.writer(),
                other => other.writer(),
            };
            let read = Audit {
                root: std::env::current_dir().unwrap_or_default(),
                ..Audit::default()
            };
            let stdout = writer.write(&Report {
                audit: &read,
                issues: &issues,
                counts,
                summary: &summary,
                registry: &registry,
            });
            let fails = issues
                .iter()
                .any(|i| i.level == Severity::Block || (deny_warn && i.level == Severity::Warn));
            Ok(Output {
                stdout,
                stderr: String::new(),
                code: if fails { EXIT_FINDINGS } else { EXIT_CLEAN },
            })
        }
        Some(Command::Evidence) => {
            let (audit, issues, _) = audited(&cli.select, None)?;
            Ok(crate::evidence::command_output(&audit, &issues, deny_warn))
        }
        Some(Command::Suggest { diff, write }) => {
            suggest::run(&selection(&cli.select), *diff, *write)
        }
    }
}
