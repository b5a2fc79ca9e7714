# bash completion for pdj                              -*- shell-script -*-
# Generated from pdj's typer app by `pdj completion bash`; do not edit.
# Maintainers regenerate completions/ with `python -m pdj_cli.completion`.
# Tab runs no Python: every command, option and value set is spelled out below.

# _pdj_spec COMMAND sets _pdj_options and _pdj_arguments for COMMAND ('' is pdj itself).
# An option is 'NAMES|VALUE|REPEATABLE'. VALUE says what its value completes to: empty for a
# flag, 'words:W1 W2 ...', 'files', 'profiles', 'job-arns' or 'group-arns' (from pdj's ARN
# cache), or 'text' (free text: nothing to offer).
# An argument is a VALUE, with a trailing '*' when it takes any number of words.
_pdj_spec() {
    case $1 in
        '')
            _pdj_options=(
                '--version||0'
                '--help -h||0'
                '--profile|profiles|0'
                '--region|text|0'
                '--endpoint-url|text|0'
                '--output -o|words:table json jsonl text csv markdown|0'
                '--query|text|0'
                '--no-color||0'
                '--debug||0'
            )
            _pdj_arguments=('words:describe list watch batch create emulator demo completion')
            ;;
        describe)
            _pdj_options=(
                '--exit-status||0'
                '--profile|profiles|0'
                '--region|text|0'
                '--endpoint-url|text|0'
                '--output -o|words:table json jsonl text csv markdown|0'
                '--query|text|0'
                '--no-color||0'
                '--debug||0'
                '--help -h||0'
            )
            _pdj_arguments=('job-arns')
            ;;
        list)
            _pdj_options=(
                '--dataset-group-arn|group-arns|0'
                '--status|words:PENDING IN_PROGRESS COMPLETED FAILED|1'
                '--profile|profiles|0'
                '--region|text|0'
                '--endpoint-url|text|0'
                '--output -o|words:table json jsonl text csv markdown|0'
                '--query|text|0'
                '--no-color||0'
                '--debug||0'
                '--help -h||0'
            )
            _pdj_arguments=()
            ;;
        watch)
            _pdj_options=(
                '--interval|words:15s 30s 1m 5m 15m 1h 2h|0'
                '--timeout|words:15s 30s 1m 5m 15m 1h 2h|0'
                '--grace|words:15s 30s 1m 5m 15m 1h 2h|0'
                '--heartbeat|words:15s 30s 1m 5m 15m 1h 2h|0'
                '--wait-for-creation|words:15s 30s 1m 5m 15m 1h 2h|0'
                '--exit-status||0'
                '--ci|words:auto github none|0'
                '--junit-xml|files|0'
                '--profile|profiles|0'
                '--region|text|0'
                '--endpoint-url|text|0'
                '--output -o|words:table json jsonl text csv markdown|0'
                '--query|text|0'
                '--no-color||0'
                '--debug||0'
                '--help -h||0'
            )
            _pdj_arguments=('job-arns')
            ;;
        batch)
            _pdj_options=(
                '--file -f|files|1'
                '--dataset-group-arn|group-arns|1'
                '--concurrency -c|text|0'
                '--exit-status||0'
                '--wait||0'
                '--interval|words:15s 30s 1m 5m 15m 1h 2h|0'
                '--timeout|words:15s 30s 1m 5m 15m 1h 2h|0'
                '--fail-fast||0'
                '--grace|words:15s 30s 1m 5m 15m 1h 2h|0'
                '--ci|words:auto github none|0'
                '--junit-xml|files|0'
                '--profile|profiles|0'
                '--region|text|0'
                '--endpoint-url|text|0'
                '--output -o|words:table json jsonl text csv markdown|0'
                '--query|text|0'
                '--no-color||0'
                '--debug||0'
                '--help -h||0'
            )
            _pdj_arguments=('job-arns*')
            ;;
        create)
            _pdj_options=(
                '--dataset-group-arn|group-arns|1'
                '--data-location|text|0'
                '--role-arn|text|0'
                '--job-name|text|0'
                '--request-id|text|0'
                '--tag|text|1'
                '--yes -y||0'
                '--dry-run||0'
                '--wait-for-slot|words:15s 30s 1m 5m 15m 1h 2h|0'
                '--wait||0'
                '--interval|words:15s 30s 1m 5m 15m 1h 2h|0'
                '--timeout|words:15s 30s 1m 5m 15m 1h 2h|0'
                '--fail-fast||0'
                '--grace|words:15s 30s 1m 5m 15m 1h 2h|0'
                '--ci|words:auto github none|0'
                '--junit-xml|files|0'
                '--profile|profiles|0'
                '--region|text|0'
                '--endpoint-url|text|0'
                '--output -o|words:table json jsonl text csv markdown|0'
                '--query|text|0'
                '--no-color||0'
                '--debug||0'
                '--help -h||0'
            )
            _pdj_arguments=()
            ;;
        emulator)
            _pdj_options=(
                '--port|text|0'
                '--scenario|files|0'
                '--latency|text|0'
                '--throttle-rate|text|0'
                '--error-rate|text|0'
                '--drop-rate|text|0'
                '--seed|text|0'
                '--create-error|words:resource-in-use access-denied s3-access-denied|0'
                '--time-scale|text|0'
                '--request-log|files|0'
                '--background||0'
                '--help -h||0'
            )
            _pdj_arguments=()
            ;;
        demo)
            _pdj_options=(
                '--speed|text|0'
                '--help -h||0'
            )
            _pdj_arguments=()
            ;;
        completion)
            _pdj_options=(
                '--help -h||0'
            )
            _pdj_arguments=('words:bash zsh fish')
            ;;
        *) return 1 ;;
    esac
}

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

# --- ARNs pdj has printed (begin) ------------------------------------------------------------
# _pdj_cached_arns job-arns|group-arns: offer the job or dataset-group ARNs of pdj's ARN cache
# that start with $cur. The cache is $XDG_CACHE_HOME/pdj/arns (~/.cache/pdj/arns), written by
# pdj_cli/arn_cache.py: one ARN a line, the most recent last.
_pdj_cached_arns() {
    local dir=${XDG_CACHE_HOME:-} type=data-deletion-job arn
    local -a arns
    [[ $dir == /* ]] || dir=$HOME/.cache
    [[ $1 == group-arns ]] && type=dataset-group
    [[ -r $dir/pdj/arns ]] || return 0
    mapfile -t arns <"$dir/pdj/arns"
    for arn in "${arns[@]}"; do
        [[ $arn == arn:*:personalize:*:"$type"/* && $arn == "$cur"* ]] || continue
        COMPREPLY+=("$prefix$arn")
    done
    return 0
}
# --- ARNs pdj has printed (end) --------------------------------------------------------------

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
        job-arns | group-arns) _pdj_cached_arns "$1" ;;
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
    local cword cur prefix='' command='' start=1 i
    local _pdj_names _pdj_value _pdj_repeat
    COMPREPLY=()
    _pdj_words
    cur=${words[cword]}
    # The subcommand is the first word that is neither an option nor the value of one: the
    # shared options (--region R, -o json) may come before the command.
    local skip=
    _pdj_spec ''
    for ((i = 1; i < cword; i++)); do
        if [[ -n $skip ]]; then
            skip=
        elif [[ ${words[i]} != -* ]]; then
            command=${words[i]}
            start=$((i + 1))
            break
        elif _pdj_find "${words[i]}" && [[ -n $_pdj_value ]]; then
            skip=1
        fi
    done
    _pdj_spec "$command" || return 0

    # Walk the words before the cursor: the options used, the arguments given, and whether the
    # last word is an option still waiting for its value.
    local word used=' ' pending='' nargs=0 dashdash=''
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
        done=${typed%"${typed##*["$breaks"]}"}
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=${COMPREPLY[i]#"$done"}
        done
    fi
    return 0
}

complete -F _pdj pdj
