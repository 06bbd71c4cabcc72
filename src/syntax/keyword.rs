//! The instruction keywords BuildKit knows.

/// An instruction keyword BuildKit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    From,
    Run,
    Cmd,
    Label,
    Maintainer,
    Expose,
    Env,
    Add,
    Copy,
    Entrypoint,
    Volume,
    User,
    Workdir,
    Arg,
    Onbuild,
    Stopsignal,
    Healthcheck,
    Shell,
}

impl Keyword {
    pub fn parse(word: &str) -> Option<Keyword> {
        use Keyword::*;
        Some(match word.to_ascii_uppercase().as_str() {
            "FROM" => From,
            "RUN" => Run,
            "CMD" => Cmd,
            "LABEL" => Label,
            "MAINTAINER" => Maintainer,
            "EXPOSE" => Expose,
            "ENV" => Env,
            "ADD" => Add,
            "COPY" => Copy,
            "ENTRYPOINT" => Entrypoint,
            "VOLUME" => Volume,
            "USER" => User,
            "WORKDIR" => Workdir,
            "ARG" => Arg,
            "ONBUILD" => Onbuild,
            "STOPSIGNAL" => Stopsignal,
            "HEALTHCHECK" => Healthcheck,
            "SHELL" => Shell,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        use Keyword::*;
        match self {
            From => "FROM",
            Run => "RUN",
            Cmd => "CMD",
            Label => "LABEL",
            Maintainer => "MAINTAINER",
            Expose => "EXPOSE",
            Env => "ENV",
            Add => "ADD",
            Copy => "COPY",
            Entrypoint => "ENTRYPOINT",
            Volume => "VOLUME",
            User => "USER",
            Workdir => "WORKDIR",
            Arg => "ARG",
            Onbuild => "ONBUILD",
            Stopsignal => "STOPSIGNAL",
            Healthcheck => "HEALTHCHECK",
            Shell => "SHELL",
        }
    }

    pub(crate) fn can_contain_heredoc(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }
}
