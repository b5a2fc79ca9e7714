"""Static Tab-completion scripts for bash, zsh and fish, generated from the typer app itself.

typer's own completion re-runs the program on every Tab (most of a second here). These scripts
spell out every command, option and value set instead, so Tab never starts Python, and a test
regenerates them from the app so they cannot drift from it.

Maintainers regenerate the checked-in scripts with `python -m pdj_cli.completion [DIR]`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from pdj_cli.shells import Shell

PROG = "pdj"
DURATION_EXAMPLES = ("15s", "30s", "1m", "5m", "15m", "1h", "2h")
# Words the scripts may carry unquoted in any of the three shells.
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_.,:/@+-]+")
_OPTION_NAME = re.compile(r"--?[A-Za-z0-9][A-Za-z0-9-]*")
GENERATED_BY = "Generated from pdj's typer app by `pdj completion {shell}`; do not edit."
REGENERATE = "Maintainers regenerate completions/ with `python -m pdj_cli.completion`."
NO_PYTHON = "Tab runs no Python: every command, option and value set is spelled out below."


class ValueKind(str, Enum):
    WORDS = "words"  # a fixed set: choices, statuses, duration examples
    FILES = "files"
    PROFILES = "profiles"  # read from the AWS config and credentials files by the shell
    TEXT = "text"  # free text such as an ARN or a URL: nothing to offer


@dataclass(frozen=True)
class Values:
    kind: ValueKind
    label: str  # what a value is, for zsh's message line
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class OptionSpec:
    names: tuple[str, ...]  # long names first, as the help shows them
    help: str
    values: Values | None  # None: a flag
    repeatable: bool

    @property
    def long_names(self) -> tuple[str, ...]:
        return tuple(name for name in self.names if name.startswith("--"))

    @property
    def short_names(self) -> tuple[str, ...]:
        return tuple(name for name in self.names if not name.startswith("--"))


@dataclass(frozen=True)
class ArgumentSpec:
    values: Values
    variadic: bool


@dataclass(frozen=True)
class CommandSpec:
    name: str
    help: str
    options: tuple[OptionSpec, ...]
    arguments: tuple[ArgumentSpec, ...]


@dataclass(frozen=True)
class CliSpec:
    options: tuple[OptionSpec, ...]
    commands: tuple[CommandSpec, ...]


# ---------------------------------------------------------------------------------------------
# Reading the app


def describe_cli(group: Any) -> CliSpec:
    """What `typer.main.get_command(app)` accepts, in the terms the scripts need."""
    root = typer.Context(group, info_name=PROG, **group.context_settings)
    options = _options(group.get_params(root))
    if any(option.values for option in options):
        # The scripts find the subcommand as the first word that is not an option.
        raise ValueError("pdj's own options must all be flags for the completion scripts")
    commands = []
    for name in group.list_commands(root):
        command = group.get_command(root, name)  # pdj's group builds its commands on demand
        if command.hidden:
            continue
        context = typer.Context(command, info_name=name, parent=root)
        params = command.get_params(context)
        commands.append(
            CommandSpec(
                name=_plain(name),
                help=summary(command.help or ""),
                options=_options(params),
                arguments=tuple(
                    ArgumentSpec(_values(param), variadic=param.nargs == -1)
                    for param in params
                    if param.param_type_name == "argument" and not param.hidden
                ),
            )
        )
    return CliSpec(options=options, commands=tuple(commands))


def _options(params: Iterable[Any]) -> tuple[OptionSpec, ...]:
    specs = []
    for param in params:
        if param.param_type_name != "option" or param.hidden:
            continue
        if param.secondary_opts or param.nargs != 1:
            raise NotImplementedError(f"completion for {param.opts} is not written yet")
        names = sorted(param.opts, key=lambda name: not name.startswith("--"))
        for name in names:
            if not _OPTION_NAME.fullmatch(name):
                raise ValueError(f"option name {name!r} is not safe to put in a script")
        specs.append(
            OptionSpec(
                names=tuple(names),
                help=summary(param.help or ""),
                values=None if param.is_flag else _values(param),
                repeatable=bool(param.multiple),
            )
        )
    return tuple(specs)


def _values(param: Any) -> Values:
    """What a value of this parameter completes to; options are recognised by what they mean."""
    from pdj_cli.models import KNOWN_STATUSES
    from pdj_cli.options import duration_option

    descriptor = param.type_descriptor
    metavar = (param.metavar or "").upper()
    label = param.metavar or param.name.replace("_", "-")
    if descriptor.choices:
        words = tuple(str(getattr(choice, "value", choice)) for choice in descriptor.choices)
        return Values(ValueKind.WORDS, label, _plain_words(words))
    if "--profile" in param.opts:
        return Values(ValueKind.PROFILES, "profile")
    if metavar == "STATUS" or "--status" in param.opts:
        return Values(ValueKind.WORDS, "status", _plain_words(KNOWN_STATUSES))
    if metavar == "DURATION" or param.callback is duration_option:
        return Values(ValueKind.WORDS, "duration", DURATION_EXAMPLES)
    if descriptor.is_path or descriptor.is_file or metavar == "FILE":
        return Values(ValueKind.FILES, "file")
    return Values(ValueKind.TEXT, label)


def _plain(word: str) -> str:
    if not _PLAIN_WORD.fullmatch(word):
        raise ValueError(f"{word!r} is not safe to put unquoted in a completion script")
    return word


def _plain_words(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(_plain(word) for word in words)


def summary(text: str) -> str:
    """A help text's first sentence, without rich markup or a [default: ...] note."""
    line = text.strip().split("\n\n")[0]
    line = re.sub(r"\[(?:/?(?:bold|dim|italic|b|i)|default: [^\]]*)\]", "", line)
    line = " ".join(line.split())
    line = re.split(r"(?<=\.) (?=[A-Z])", line)[0]
    return line.rstrip(".")


# ---------------------------------------------------------------------------------------------
# bash


def _bash_value(values: Values | None) -> str:
    if values is None:
        return ""
    if values.kind is ValueKind.WORDS:
        return "words:" + " ".join(values.words)
    return values.kind.value


def _bash_command_case(name: str, options: Sequence[OptionSpec], arguments: list[str]) -> str:
    entries = "\n".join(
        f"                '{' '.join(o.names)}|{_bash_value(o.values)}|{int(o.repeatable)}'"
        for o in options
    )
    argument_words = " ".join(f"'{argument}'" for argument in arguments)
    pattern = name or "''"
    return (
        f"        {pattern})\n"
        f"            _pdj_options=(\n{entries}\n            )\n"
        f"            _pdj_arguments=({argument_words})\n"
        "            ;;"
    )


def render_bash(cli: CliSpec) -> str:
    cases = [
        _bash_command_case(
            "", cli.options, ["words:" + " ".join(command.name for command in cli.commands)]
        )
    ]
    for command in cli.commands:
        arguments = [
            _bash_value(argument.values) + ("*" if argument.variadic else "")
            for argument in command.arguments
        ]
        cases.append(_bash_command_case(command.name, command.options, arguments))
    header = "\n".join(
        [
            f"# bash completion for {PROG}                              -*- shell-script -*-",
            f"# {GENERATED_BY.format(shell='bash')}",
            f"# {REGENERATE}",
            f"# {NO_PYTHON}",
        ]
    )
    return (
        header
        + "\n\n"
        + _BASH_SPEC_HEAD
        + "\n".join(cases)
        + "\n        *) return 1 ;;\n    esac\n}\n"
        + _BASH_BODY
    )


_BASH_SPEC_HEAD = """\
# _pdj_spec COMMAND sets _pdj_options and _pdj_arguments for COMMAND ('' is pdj itself).
# An option is 'NAMES|VALUE|REPEATABLE'. VALUE says what its value completes to: empty for a
# flag, 'words:W1 W2 ...', 'files', 'profiles', or 'text' (free text: nothing to offer).
# An argument is a VALUE, with a trailing '*' when it takes any number of words.
_pdj_spec() {
    case $1 in
"""

_BASH_BODY = r"""
# The words up to the cursor, rejoined where bash split them at '=' or ':' (COMP_WORDBREAKS),
# so '--output=js' and an ARN are one word each. Sets words and cword.
_pdj_words() {
    local line=${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}} word i glue
    words=()
    if [[ -z $COMP_LINE ]]; then
        words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
        cword=$COMP_CWORD
        return
    fi
    for ((i = 0; i <= COMP_CWORD; i++)); do
        glue=1
        if [[ $i -eq 0 || $line == [[:space:]]* ]]; then
            glue=
            line=${line#"${line%%[![:space:]]*}"}
        fi
        word=${COMP_WORDS[i]}
        # The current word ends at the cursor, which may be inside it.
        ((i == COMP_CWORD)) && word=$line
        if [[ -n $glue ]]; then
            words[${#words[@]} - 1]+=$word
        else
            words+=("$word")
        fi
        line=${line#"$word"}
    done
    cword=$((${#words[@]} - 1))
}

# _pdj_find NAME: the option NAME in _pdj_options; sets _pdj_names, _pdj_value, _pdj_repeat.
_pdj_find() {
    local entry rest
    for entry in "${_pdj_options[@]}"; do
        [[ " ${entry%%|*} " == *" $1 "* ]] || continue
        _pdj_names=${entry%%|*}
        rest=${entry#*|}
        _pdj_value=${rest%|*}
        _pdj_repeat=${rest##*|}
        return 0
    done
    return 1
}

# _pdj_add WORD...: offer the words that start with $cur, in any case, after $prefix.
_pdj_add() {
    local word
    for word in "$@"; do
        [[ ${word,,} == "${cur,,}"* ]] && COMPREPLY+=("$prefix$word")
    done
    return 0
}

# AWS profile names: [default] and [profile NAME] in the config file, [NAME] in the
# credentials file, the files botocore reads. Sets profiles.
_pdj_profiles() {
    local config=${AWS_CONFIG_FILE:-~/.aws/config}
    local credentials=${AWS_SHARED_CREDENTIALS_FILE:-~/.aws/credentials}
    local section='^[[:space:]]*\[[[:space:]]*(profile[[:space:]]+)?([^][:space:]]+)[[:space:]]*\]'
    local line
    local -A seen=()
    config=${config/#\~/$HOME}
    credentials=${credentials/#\~/$HOME}
    if [[ -r $config ]]; then
        while IFS= read -r line || [[ -n $line ]]; do
            [[ $line =~ $section ]] || continue
            if [[ -n ${BASH_REMATCH[1]} || ${BASH_REMATCH[2]} == default ]]; then
                seen[${BASH_REMATCH[2]}]=1
            fi
        done <"$config"
    fi
    if [[ -r $credentials ]]; then
        while IFS= read -r line || [[ -n $line ]]; do
            [[ $line =~ $section && -z ${BASH_REMATCH[1]} ]] && seen[${BASH_REMATCH[2]}]=1
        done <"$credentials"
    fi
    profiles=("${!seen[@]}")
}

# _pdj_values VALUE: offer what a value of this kind completes to.
_pdj_values() {
    local -a profiles found
    case $1 in
        words:*)
            local IFS=$' \t\n'
            # shellcheck disable=SC2086 # the generator allows only plain words here
            _pdj_add ${1#words:}
            ;;
        profiles)
            _pdj_profiles
            _pdj_add "${profiles[@]}"
            ;;
        files)
            compopt -o filenames 2>/dev/null
            mapfile -t found < <(compgen -f -- "$cur")
            local file
            for file in "${found[@]}"; do COMPREPLY+=("$prefix$file"); done
            ;;
    esac
    return 0
}

# Offer the options of the command that are not on the line yet (or may be repeated).
_pdj_option_names() {
    local entry name
    for entry in "${_pdj_options[@]}"; do
        if [[ ${entry##*|} != 1 ]]; then
            for name in ${entry%%|*}; do
                [[ $used == *" $name "* ]] && continue 2
            done
        fi
        # shellcheck disable=SC2086 # option names are plain words
        _pdj_add ${entry%%|*}
    done
}

_pdj() {
    local -a words _pdj_options _pdj_arguments
    local cword cur prefix= command= start=1 i
    local _pdj_names _pdj_value _pdj_repeat
    COMPREPLY=()
    _pdj_words
    cur=${words[cword]}
    # The subcommand is the first word that is not an option: pdj's own options take no value.
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} != -* ]]; then
            command=${words[i]}
            start=$((i + 1))
            break
        fi
    done
    _pdj_spec "$command" || return 0

    # Walk the words before the cursor: the options used, the arguments given, and whether the
    # last word is an option still waiting for its value.
    local word used=' ' pending= nargs=0 dashdash=
    for ((i = start; i < cword; i++)); do
        word=${words[i]}
        if [[ -n $pending ]]; then
            pending=
        elif [[ -n $dashdash || $word != -?* ]]; then
            nargs=$((nargs + 1))
        elif [[ $word == -- ]]; then
            dashdash=1
        elif _pdj_find "$word"; then
            used+="$_pdj_names "
            pending=$_pdj_value
        elif _pdj_find "${word%%=*}" || _pdj_find "${word:0:2}"; then
            used+="$_pdj_names " # --name=value, or -xVALUE
        fi
    done

    local value=
    if [[ -n $pending ]]; then
        value=$pending
    elif [[ -z $dashdash && $cur == -*=* ]]; then
        _pdj_find "${cur%%=*}" || return 0
        value=$_pdj_value
        prefix=${cur%%=*}=
        cur=${cur#*=}
    elif [[ -z $dashdash && $cur == -* ]]; then
        _pdj_option_names
    else
        local last=$((${#_pdj_arguments[@]} - 1))
        if ((nargs <= last)); then
            value=${_pdj_arguments[nargs]}
        elif ((last >= 0)) && [[ ${_pdj_arguments[last]} == *'*' ]]; then
            value=${_pdj_arguments[last]}
        fi
        value=${value%'*'}
        # Nothing to type here but options: offer them rather than nothing.
        [[ -z $value && -z $cur && -z $dashdash ]] && _pdj_option_names
    fi
    [[ -n $value ]] && _pdj_values "$value"

    # Readline replaces only the text after the last '=' or ':' in COMP_WORDBREAKS.
    local breaks=${COMP_WORDBREAKS//[!=:]/} typed=${prefix}${cur} done=
    if [[ -n $breaks && $typed == *[$breaks]* ]]; then
        done=${typed%"${typed##*[$breaks]}"}
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=${COMPREPLY[i]#"$done"}
        done
    fi
    return 0
}

complete -F _pdj pdj
"""


# ---------------------------------------------------------------------------------------------
# zsh


def _zsh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _zsh_description(text: str) -> str:
    # Inside an _arguments spec's [...], brackets and backslashes are special.
    return re.sub(r"([\\\[\]])", r"\\\1", text)


def _zsh_action(values: Values) -> str:
    label = values.label.replace(":", " ")
    if values.kind is ValueKind.WORDS:
        return f":{label}:({' '.join(values.words)})"
    if values.kind is ValueKind.FILES:
        return f":{label}:_files"
    if values.kind is ValueKind.PROFILES:
        return f":{label}:_pdj_profiles"
    return f":{label}: "  # a message and nothing to complete


def _zsh_option(option: OptionSpec) -> str:
    """One _arguments spec; -x+ and --name= take the value in the same word or the next."""
    suffix = ("" if option.values is None else "+", "" if option.values is None else "=")
    forms = [
        name + (suffix[0] if name in option.short_names else suffix[1]) for name in option.names
    ]
    description = f"[{_zsh_description(option.help)}]"
    action = "" if option.values is None else _zsh_action(option.values)
    if len(forms) == 1:
        prefix = "*" if option.repeatable else ""
        return _zsh_quote(prefix + forms[0] + description + action)
    exclusion = "*" if option.repeatable else f"({' '.join(option.names)})"
    return _zsh_quote(exclusion) + "{" + ",".join(forms) + "}" + _zsh_quote(description + action)


def _zsh_argument(argument: ArgumentSpec) -> str:
    return _zsh_quote(("*" if argument.variadic else "") + _zsh_action(argument.values))


def _zsh_function(name: str, specs: list[str]) -> str:
    lines = " \\\n    ".join(["_arguments -S :", *specs])
    return f"_pdj_{name.replace('-', '_')}() {{\n  {lines}\n}}\n"


def render_zsh(cli: CliSpec) -> str:
    functions = [
        _zsh_function(
            command.name,
            [_zsh_option(o) for o in command.options]
            + [_zsh_argument(a) for a in command.arguments],
        )
        for command in cli.commands
    ]
    descriptions = "\n".join(
        f"        {_zsh_quote(command.name + ':' + command.help)}" for command in cli.commands
    )
    dispatch = "\n".join(
        f"        {command.name}) _pdj_{command.name.replace('-', '_')} && ret=0 ;;"
        for command in cli.commands
    )
    root_specs = " \\\n    ".join(
        [
            "_arguments -C -S :",
            *(_zsh_option(o) for o in cli.options),
            "':command:->command'",
            "'*:: :->argument'",
        ]
    )
    header = "\n".join(
        [
            f"#compdef {PROG}",
            f"# zsh completion for {PROG}. {GENERATED_BY.format(shell='zsh')}",
            f"# {REGENERATE}",
            f"# {NO_PYTHON}",
        ]
    )
    main = (
        "_pdj() {\n"
        "  local curcontext=$curcontext state state_descr line ret=1\n"
        "  local -A opt_args\n"
        f"  {root_specs} && ret=0\n"
        "  case $state in\n"
        "    command)\n"
        "      local -a commands=(\n"
        f"{descriptions}\n"
        "      )\n"
        "      _describe -t commands 'pdj command' commands && ret=0\n"
        "      ;;\n"
        "    argument)\n"
        "      curcontext=${curcontext%:*:*}:pdj-$words[1]:\n"
        "      case $words[1] in\n"
        f"{dispatch}\n"
        "      esac\n"
        "      ;;\n"
        "  esac\n"
        "  return ret\n"
        "}\n"
    )
    return "\n".join([header, "", _ZSH_PROFILES, *functions, main, _ZSH_FOOTER])


_ZSH_PROFILES = r"""# AWS profile names: [default] and [profile NAME] in the config file,
# [NAME] in the credentials file, the files botocore reads.
_pdj_profiles() {
  emulate -L zsh
  local config=${AWS_CONFIG_FILE:-~/.aws/config}
  local credentials=${AWS_SHARED_CREDENTIALS_FILE:-~/.aws/credentials}
  local section='^[[:space:]]*\[[[:space:]]*(profile[[:space:]]+)?([^][:space:]]+)[[:space:]]*\]'
  local line expl
  local -a match mbegin mend profiles
  config=${config/#\~/$HOME}
  credentials=${credentials/#\~/$HOME}
  if [[ -r $config ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
      [[ $line =~ $section ]] || continue
      [[ -n $match[1] || $match[2] == default ]] && profiles+=($match[2])
    done <$config
  fi
  if [[ -r $credentials ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
      [[ $line =~ $section && -z $match[1] ]] && profiles+=($match[2])
    done <$credentials
  fi
  profiles=(${(u)profiles})
  _wanted profiles expl 'AWS profile' compadd -a - profiles
}
"""

_ZSH_FOOTER = """\
# Autoloaded from fpath, this file is _pdj's body: define everything, then complete. Sourced,
# it registers itself.
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _pdj "$@"
else
  compdef _pdj pdj
fi
"""


# ---------------------------------------------------------------------------------------------
# fish


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_values(values: Values) -> str:
    if values.kind is ValueKind.WORDS:
        return f"-x -a {_fish_quote(' '.join(values.words))}"
    if values.kind is ValueKind.FILES:
        return "-r -F"
    if values.kind is ValueKind.PROFILES:
        return "-x -a '(__pdj_profiles)'"
    return "-x"


def _fish_option(condition: str, option: OptionSpec) -> str:
    names = [f"-l {name[2:]}" for name in option.long_names]
    names += [f"-s {name[1:]}" for name in option.short_names]
    if not option.repeatable:
        condition += " " + " ".join(option.names)  # __pdj_using: only while none is used
    parts = [f"complete -c {PROG} -n {_fish_quote(condition)}", *names]
    if option.values is not None:
        parts.append(_fish_values(option.values))
    parts.append(f"-d {_fish_quote(option.help)}")
    return " ".join(parts)


def _fish_argument(command: CommandSpec, argument: ArgumentSpec) -> str | None:
    if argument.values.kind is ValueKind.TEXT:
        return None  # an ARN: nothing to offer
    condition = f"__pdj_using {command.name}"
    if argument.values.kind is ValueKind.WORDS and not argument.variadic:
        condition += "; and not __pdj_has_word " + " ".join(argument.values.words)
    # -F: files for a file argument; otherwise just the words (-f is the default above).
    values = "-F" if argument.values.kind is ValueKind.FILES else _fish_values(argument.values)
    label = _fish_quote(argument.values.label)
    return f"complete -c {PROG} -n {_fish_quote(condition)} {values} -d {label}"


def render_fish(cli: CliSpec) -> str:
    lines = [
        f"# fish completion for {PROG}. {GENERATED_BY.format(shell='fish')}",
        f"# {REGENERATE}",
        f"# {NO_PYTHON}",
        "",
        _FISH_FUNCTIONS,
        "# pdj's words are not file names, except where an option says so below.",
        f"complete -c {PROG} -f",
        "",
        "# pdj itself",
    ]
    for command in cli.commands:
        lines.append(
            f"complete -c {PROG} -n 'not __pdj_command' -a {command.name} "
            f"-d {_fish_quote(command.help)}"
        )
    lines += [_fish_option("__pdj_using ''", o) for o in cli.options]
    for command in cli.commands:
        lines += ["", f"# pdj {command.name}"]
        lines += [_fish_option(f"__pdj_using {command.name}", o) for o in command.options]
        lines += filter(None, (_fish_argument(command, a) for a in command.arguments))
    return "\n".join(lines) + "\n"


_FISH_FUNCTIONS = r"""# The pdj subcommand on the command line, if any: the first word that is not
# an option (pdj's own options take no value).
function __pdj_command
    set -l tokens (commandline -opc)
    set -l words (string match -v -- '-*' $tokens[2..-1])
    set -q words[1]; or return 1
    echo $words[1]
end

# __pdj_using COMMAND [OPTION...]: the subcommand is COMMAND ('' for none yet) and none of the
# OPTIONs is on the line, whether as --name, --name=value or -xVALUE. Fish asks this of every
# line below on every Tab, so it reads the command line once and calls builtins only.
function __pdj_using
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l command ''
    for token in $tokens
        switch $token
            case '-*'
            case '*'
                set command $token
                break
        end
    end
    test "$command" = "$argv[1]"; or return 1
    set -q argv[2]; or return 0
    # An option just typed is not "used" yet: its value is what is being completed.
    contains -- "$tokens[-1]" $argv[2..-1]; and set -e tokens[-1]
    for option in $argv[2..-1]
        if string match -q -r -- '^-[^-]$' $option
            string match -q -- "$option*" $tokens; and return 1
        else
            string match -q -- $option $tokens; and return 1
            string match -q -- "$option=*" $tokens; and return 1
        end
    end
    return 0
end

# __pdj_has_word WORD...: one of the WORDs is already on the line after the subcommand.
function __pdj_has_word
    set -l tokens (commandline -opc)
    set -e tokens[1..2]
    for word in $argv
        contains -- $word $tokens; and return 0
    end
    return 1
end

# AWS profile names: [default] and [profile NAME] in the config file, [NAME] in the
# credentials file, the files botocore reads.
function __pdj_profiles
    set -l config ~/.aws/config
    set -q AWS_CONFIG_FILE; and test -n "$AWS_CONFIG_FILE"; and set config $AWS_CONFIG_FILE
    set -l credentials ~/.aws/credentials
    set -q AWS_SHARED_CREDENTIALS_FILE; and test -n "$AWS_SHARED_CREDENTIALS_FILE"
    and set credentials $AWS_SHARED_CREDENTIALS_FILE
    set config (string replace -r -- '^~' $HOME $config)
    set credentials (string replace -r -- '^~' $HOME $credentials)
    if test -r "$config"
        string replace -r -f -- '^\s*\[\s*(?:profile\s+([^\]\s]+)|(default))\s*\].*' '$1$2' <$config
    end
    if test -r "$credentials"
        string replace -r -f -- '^\s*\[\s*([^\]\s]+)\s*\].*' '$1' <$credentials
    end
end
"""


# ---------------------------------------------------------------------------------------------
# Generating and writing


RENDERERS: dict[Shell, tuple[str, Callable[[CliSpec], str]]] = {
    Shell.bash: ("pdj.bash", render_bash),
    Shell.zsh: ("_pdj", render_zsh),
    Shell.fish: ("pdj.fish", render_fish),
}


def generate(shell: Shell, group: Any) -> str:
    """The completion script for `shell`, from the click group typer builds for the app."""
    return RENDERERS[shell][1](describe_cli(group))


def script_name(shell: Shell) -> str:
    return RENDERERS[shell][0]


def write_scripts(directory: Path, group: Any) -> list[Path]:
    """Write all three scripts into `directory` under their conventional names."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for shell in Shell:
        path = directory / script_name(shell)
        path.write_text(generate(shell, group), encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str]) -> int:
    """`python -m pdj_cli.completion [DIR]`: write the scripts (default: completions/)."""
    from pdj_cli.cli import app

    default = Path(__file__).resolve().parents[1] / "completions"
    if len(argv) > 1 or (not argv and not default.is_dir()):
        print("usage: python -m pdj_cli.completion [DIR]  (DIR: default a checkout's completions/)")
        return 2
    directory = Path(argv[0]) if argv else default
    for path in write_scripts(directory, typer.main.get_command(app)):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    from pdj_cli.completion import main as _main  # the module's one copy, not __main__'s

    sys.exit(_main(sys.argv[1:]))
