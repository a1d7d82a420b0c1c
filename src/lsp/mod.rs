//! `pmbook lsp`: a language server over standard input and output. The
//! project's postmortems are loaded once ([`workspace`]); each change of a
//! buffer re-lints that file against the in-memory index and pushes (or
//! answers a pull of) its diagnostics.

mod actions;
mod completion;
mod diagnostics;
mod navigation;
mod text;
mod workspace;

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentDiagnosticRequest, DocumentSymbolRequest,
    GotoDefinition, HoverRequest, References, RegisterCapability, Request as _,
    WorkspaceDiagnosticRefresh,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DiagnosticOptions, DiagnosticServerCapabilities, DidChangeWatchedFilesRegistrationOptions,
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, FileSystemWatcher,
    FullDocumentDiagnosticReport, GlobPattern, InitializeParams, MessageType, OneOf,
    PublishDiagnosticsParams, Registration, RegistrationParams,
    RelatedFullDocumentDiagnosticReport, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::config::Project;
use crate::error::Error;
use text::{path_of, uri_of};
use workspace::Workspace;

/// How `pmbook lsp` was started.
pub struct Start {
    /// `-C`, which wins over the editor's workspace folder.
    pub directory: Option<PathBuf>,
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--today`; by default, the date of each check.
    pub today: Option<Date>,
    /// `--rules-url`.
    pub rules_url: Option<String>,
}

/// Serves one editor session, until it shuts the server down.
pub fn run(start: Start) -> Result<(), Error> {
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection.initialize_start().map_err(protocol)?;
    let params: InitializeParams = serde_json::from_value(params)
        .map_err(|e| Error::Config(format!("invalid initialize request: {e}")))?;
    let workspace = match open_workspace(&start, &params) {
        Ok(workspace) => workspace,
        Err(error) => {
            let message = format!("pmbook: {error}");
            let _ = connection.sender.send(
                Response::new_err(id, ErrorCode::InvalidRequest as i32, message.clone()).into(),
            );
            let _ = connection.sender.send(
                Notification::new(
                    ShowMessage::METHOD.to_owned(),
                    ShowMessageParams {
                        typ: MessageType::ERROR,
                        message,
                    },
                )
                .into(),
            );
            drop(connection);
            let _ = io_threads.join();
            return Err(error);
        }
    };
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo {
            name: "pmbook".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        },
    });
    connection.initialize_finish(id, result).map_err(protocol)?;
    let capabilities = &params.capabilities;
    let pull = capabilities
        .text_document
        .as_ref()
        .is_some_and(|t| t.diagnostic.is_some());
    let refresh = capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.diagnostic.as_ref())
        .and_then(|d| d.refresh_support)
        .unwrap_or(false);
    let watch = capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    let rules_url = start
        .rules_url
        .or_else(|| workspace.project.config.lint.rules_url.clone());
    let mut server = Server {
        connection,
        workspace,
        rules_url,
        push: !pull,
        refresh: pull && refresh,
        next_request: 0,
        field_docs: navigation::field_docs(),
        uris: HashMap::new(),
    };
    if watch {
        server.watch_files();
    }
    server.serve()?;
    drop(server);
    io_threads
        .join()
        .map_err(|e| Error::io(Path::new("<stdio>"), e))
}

fn protocol(error: lsp_server::ProtocolError) -> Error {
    Error::Config(format!("language server protocol error: {error}"))
}

/// The project of `-C`, or else of the editor's first workspace folder, or
/// else of the working directory.
fn open_workspace(start: &Start, params: &InitializeParams) -> Result<Workspace, Error> {
    #[allow(deprecated)] // `root_uri` is what older clients send
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|f| &f.uri)
        .or(params.root_uri.as_ref())
        .and_then(path_of);
    let dir = match (&start.directory, folder) {
        (Some(dir), _) => dir.clone(),
        (None, Some(folder)) => folder,
        (None, None) => std::env::current_dir().map_err(|e| Error::io(Path::new("."), e))?,
    };
    let project = Project::discover(&dir, start.config.as_deref(), &crate::lint::registry::ids())?;
    Workspace::load(project, start.today)
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some(diagnostics::SOURCE.to_owned()),
            inter_file_dependencies: true,
            workspace_diagnostics: false,
            ..DiagnosticOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["@", "\"", "(", ",", "#", " "].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

struct Server {
    connection: Connection,
    workspace: Workspace,
    rules_url: Option<String>,
    /// Whether diagnostics are pushed: only to clients that do not pull
    /// them, so that no problem is shown twice.
    push: bool,
    /// Whether the client is asked to pull again when other files change.
    refresh: bool,
    next_request: i32,
    /// Front-matter key → its documentation.
    field_docs: HashMap<String, String>,
    /// The URI each open postmortem was opened with, which its diagnostics
    /// are sent back under (an editor may spell a path differently: a
    /// symbolic link, a drive letter's case, escapes).
    uris: HashMap<PathBuf, Uri>,
}

impl Server {
    fn serve(&mut self) -> Result<(), Error> {
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Request(request) => {
                    if self
                        .connection
                        .handle_shutdown(&request)
                        .map_err(protocol)?
                    {
                        return Ok(());
                    }
                    let id = request.id.clone();
                    // A bug in one handler must not end the session.
                    let response =
                        std::panic::catch_unwind(AssertUnwindSafe(|| self.request(request)))
                            .unwrap_or_else(|_| {
                                Response::new_err(
                                    id,
                                    ErrorCode::InternalError as i32,
                                    "pmbook failed on this request".to_owned(),
                                )
                            });
                    self.send(response.into());
                }
                Message::Notification(notification) => {
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        self.notification(notification)
                    }));
                }
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, message: Message) {
        // The client went away: the loop ends when the receiver closes.
        let _ = self.connection.sender.send(message);
    }

    fn send_request<P: Serialize>(&mut self, method: &str, params: P) {
        self.next_request += 1;
        let id = RequestId::from(format!("pmbook-{}", self.next_request));
        self.send(Request::new(id, method.to_owned(), params).into());
    }

    fn request(&mut self, request: Request) -> Response {
        let r = request;
        match r.method.as_str() {
            DocumentDiagnosticRequest::METHOD => answer(r, |p| self.pull(p)),
            CodeActionRequest::METHOD => answer(r, |p| actions::code_actions(&self.workspace, p)),
            Completion::METHOD => answer(r, |p| completion::complete(&self.workspace, p)),
            HoverRequest::METHOD => answer(r, |p| {
                navigation::hover(&self.workspace, &self.field_docs, p)
            }),
            GotoDefinition::METHOD => answer(r, |p| navigation::definition(&self.workspace, p)),
            References::METHOD => answer(r, |p| navigation::references(&self.workspace, p)),
            DocumentSymbolRequest::METHOD => answer(r, |p| navigation::symbols(&self.workspace, p)),
            _ => Response::new_err(
                r.id,
                ErrorCode::MethodNotFound as i32,
                format!("pmbook does not answer {}", r.method),
            ),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Some(p) = params::<DidOpenTextDocument>(n) {
                    self.edited(&p.text_document.uri, Some(p.text_document.text));
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(p) = params::<DidChangeTextDocument>(n)
                    && let Some(change) = p.content_changes.into_iter().last()
                {
                    self.edited(&p.text_document.uri, Some(change.text));
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(p) = params::<DidCloseTextDocument>(n) {
                    self.edited(&p.text_document.uri, None);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Some(p) = params::<DidChangeWatchedFiles>(n) {
                    let mut ids_changed = false;
                    for change in p.changes {
                        if let Some(path) = self.postmortem_path(&change.uri) {
                            ids_changed |= self.workspace.file_changed(&path);
                        }
                    }
                    if ids_changed {
                        self.others_changed(None);
                    }
                }
            }
            _ => {}
        }
    }

    fn postmortem_path(&self, uri: &Uri) -> Option<PathBuf> {
        self.workspace.postmortem_path(uri)
    }

    /// A buffer was opened or changed (`Some` text) or closed.
    fn edited(&mut self, uri: &Uri, text: Option<String>) {
        let Some(path) = self.postmortem_path(uri) else {
            return;
        };
        let ids_changed = match text {
            Some(text) => {
                self.uris.insert(path.clone(), uri.clone());
                let changed = self.workspace.set_open(&path, text);
                self.publish(&path);
                changed
            }
            None => {
                let changed = self.workspace.close(&path);
                self.uris.remove(&path);
                if self.push {
                    self.send_diagnostics(uri.clone(), Vec::new());
                }
                changed
            }
        };
        if ids_changed {
            self.others_changed(Some(&path));
        }
    }

    /// The ids of the project changed: the other open postmortems may have
    /// gained or lost a problem.
    fn others_changed(&mut self, except: Option<&Path>) {
        if self.push {
            for path in self.workspace.open_paths() {
                if Some(path.as_path()) != except {
                    self.publish(&path);
                }
            }
        } else if self.refresh {
            self.send_request(WorkspaceDiagnosticRefresh::METHOD, ());
        }
    }

    fn publish(&self, path: &Path) {
        if !self.push {
            return;
        }
        let linted = self.workspace.lint(path);
        let diagnostics = diagnostics::to_lsp(&linted, self.rules_url.as_deref());
        let uri = self.uris.get(path).cloned().unwrap_or_else(|| uri_of(path));
        self.send_diagnostics(uri, diagnostics);
    }

    fn send_diagnostics(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.to_owned(), params).into());
    }

    fn pull(&self, p: lsp_types::DocumentDiagnosticParams) -> DocumentDiagnosticReportResult {
        let items = match self.postmortem_path(&p.text_document.uri) {
            Some(path) => {
                diagnostics::to_lsp(&self.workspace.lint(&path), self.rules_url.as_deref())
            }
            None => Vec::new(),
        };
        DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            },
        ))
    }

    /// Asks the client to report changes of Markdown files on disk
    /// (another branch checked out, a file pulled in).
    fn watch_files(&mut self) {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*.md".to_owned()),
                kind: None,
            }],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "pmbook-postmortems".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.send_request(RegisterCapability::METHOD, params);
    }
}

/// Reads the parameters of a request and answers it with `handle`.
fn answer<P: DeserializeOwned, R: Serialize>(
    request: Request,
    handle: impl FnOnce(P) -> R,
) -> Response {
    match serde_json::from_value::<P>(request.params) {
        Ok(params) => Response::new_ok(request.id, handle(params)),
        Err(e) => Response::new_err(request.id, ErrorCode::InvalidParams as i32, e.to_string()),
    }
}

fn params<N: lsp_types::notification::Notification>(n: Notification) -> Option<N::Params> {
    serde_json::from_value(n.params).ok()
}
