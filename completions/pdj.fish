# fish completion for pdj. Generated from pdj's typer app by `pdj completion fish`; do not edit.
# Maintainers regenerate completions/ with `python -m pdj_cli.completion`.
# Tab runs no Python: every command, option and value set is spelled out below.

# The options before a subcommand that take a value (--region R, -o json): their values
# are not the subcommand.
set -g __pdj_value_options '--profile' '--region' '--endpoint-url' '--output' '-o' '--query'

# The pdj subcommand on the command line, if any: the first word that is neither an
# option nor the value of one.
function __pdj_command
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for token in $tokens
        if test $skip = 1
            set skip 0
        else if contains -- $token $__pdj_value_options
            set skip 1
        else if not string match -q -- '-*' $token
            echo $token
            return 0
        end
    end
    return 1
end

# __pdj_using COMMAND [OPTION...]: the subcommand is COMMAND ('' for none yet) and none of the
# OPTIONs is on the line, whether as --name, --name=value or -xVALUE. Fish asks this of every
# line below on every Tab, so it reads the command line once and calls builtins only.
function __pdj_using
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l command ''
    set -l skip 0
    for token in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        switch $token
            case '-*'
                contains -- $token $__pdj_value_options; and set skip 1
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

# --- ARNs pdj has printed (begin) ------------------------------------------------------------
# __pdj_cached_arns job|group: the job or dataset-group ARNs of pdj's ARN cache,
# $XDG_CACHE_HOME/pdj/arns (~/.cache/pdj/arns), written by pdj_cli/arn_cache.py: one ARN a
# line, the most recent last.
function __pdj_cached_arns
    set -l dir "$XDG_CACHE_HOME"
    string match -q -- '/*' "$dir"; or set dir $HOME/.cache
    set -l type data-deletion-job
    test "$argv[1]" = group; and set type dataset-group
    test -r "$dir/pdj/arns"; or return 0
    string match -- "arn:*:personalize:*:$type/*" <"$dir/pdj/arns"
end
# --- ARNs pdj has printed (end) --------------------------------------------------------------

# pdj's words are not file names, except where an option says so below.
complete -c pdj -f

# pdj itself
complete -c pdj -n 'not __pdj_command' -a describe -d 'Show one data deletion job, once'
complete -c pdj -n 'not __pdj_command' -a list -d 'List every deletion job of a dataset group, or of the region, newest first'
complete -c pdj -n 'not __pdj_command' -a watch -d 'Watch one data deletion job until it is COMPLETED or FAILED'
complete -c pdj -n 'not __pdj_command' -a batch -d 'Describe many data deletion jobs at once, concurrently, in several regions'
complete -c pdj -n 'not __pdj_command' -a create -d 'Start deletion jobs: one per dataset group, confirmed, idempotent by request'
complete -c pdj -n 'not __pdj_command' -a emulator -d 'Serve a local Personalize endpoint with sample deletion jobs, until Ctrl-C'
complete -c pdj -n 'not __pdj_command' -a demo -d 'Show pdj at work on sample jobs, on a local emulator (no AWS account needed)'
complete -c pdj -n 'not __pdj_command' -a completion -d 'Print the Tab-completion script for bash, zsh or fish'
complete -c pdj -n '__pdj_using \'\' --version' -l version -d 'Show the version'
complete -c pdj -n '__pdj_using \'\' --help -h' -l help -s h -d 'Show this message and exit'
complete -c pdj -n '__pdj_using \'\' --profile' -l profile -x -a '(__pdj_profiles)' -d 'AWS profile to use (env AWS_PROFILE)'
complete -c pdj -n '__pdj_using \'\' --region' -l region -x -d 'AWS region'
complete -c pdj -n '__pdj_using \'\' --endpoint-url' -l endpoint-url -x -d 'Personalize endpoint, e.g. the emulator\'s (env AWS_ENDPOINT_URL_PERSONALIZE, AWS_ENDPOINT_URL)'
complete -c pdj -n '__pdj_using \'\' --output -o' -l output -s o -x -a 'table json jsonl text csv markdown' -d 'Output format (env PDJ_OUTPUT); default table on a terminal, else json. csv and markdown: tables for spreadsheets and tickets'
complete -c pdj -n '__pdj_using \'\' --query' -l query -x -d 'JMESPath expression applied to the JSON document before printing'
complete -c pdj -n '__pdj_using \'\' --no-color' -l no-color -d 'No colour, even on a terminal (NO_COLOR is honoured too)'
complete -c pdj -n '__pdj_using \'\' --debug' -l debug -d 'Log the wire traffic (secrets redacted) and show tracebacks, on stderr'

# pdj describe
complete -c pdj -n '__pdj_using describe --exit-status' -l exit-status -d 'Exit with the job\'s status: 0 COMPLETED, 1 FAILED, 3 still PENDING/IN_PROGRESS'
complete -c pdj -n '__pdj_using describe --profile' -l profile -x -a '(__pdj_profiles)' -d 'AWS profile to use (env AWS_PROFILE)'
complete -c pdj -n '__pdj_using describe --region' -l region -x -d 'AWS region'
complete -c pdj -n '__pdj_using describe --endpoint-url' -l endpoint-url -x -d 'Personalize endpoint, e.g. the emulator\'s (env AWS_ENDPOINT_URL_PERSONALIZE, AWS_ENDPOINT_URL)'
complete -c pdj -n '__pdj_using describe --output -o' -l output -s o -x -a 'table json jsonl text csv markdown' -d 'Output format (env PDJ_OUTPUT); default table on a terminal, else json. csv and markdown: tables for spreadsheets and tickets'
complete -c pdj -n '__pdj_using describe --query' -l query -x -d 'JMESPath expression applied to the JSON document before printing'
complete -c pdj -n '__pdj_using describe --no-color' -l no-color -d 'No colour, even on a terminal (NO_COLOR is honoured too)'
complete -c pdj -n '__pdj_using describe --debug' -l debug -d 'Log the wire traffic (secrets redacted) and show tracebacks, on stderr'
complete -c pdj -n '__pdj_using describe --help -h' -l help -s h -d 'Show this message and exit'
complete -c pdj -n '__pdj_using describe' -x -a '(__pdj_cached_arns job)' -d 'ARN'

# pdj list
complete -c pdj -n '__pdj_using list --dataset-group-arn' -l dataset-group-arn -x -a '(__pdj_cached_arns group)' -d 'Only the jobs of this dataset group (its region is used unless --region is given)'
complete -c pdj -n '__pdj_using list' -l status -x -a 'PENDING IN_PROGRESS COMPLETED FAILED' -d 'Only jobs with this status (repeatable, any case): PENDING, IN_PROGRESS, COMPLETED, FAILED, or any status the service reports'
complete -c pdj -n '__pdj_using list --profile' -l profile -x -a '(__pdj_profiles)' -d 'AWS profile to use (env AWS_PROFILE)'
complete -c pdj -n '__pdj_using list --region' -l region -x -d 'AWS region'
complete -c pdj -n '__pdj_using list --endpoint-url' -l endpoint-url -x -d 'Personalize endpoint, e.g. the emulator\'s (env AWS_ENDPOINT_URL_PERSONALIZE, AWS_ENDPOINT_URL)'
complete -c pdj -n '__pdj_using list --output -o' -l output -s o -x -a 'table json jsonl text csv markdown' -d 'Output format (env PDJ_OUTPUT); default table on a terminal, else json. csv and markdown: tables for spreadsheets and tickets'
complete -c pdj -n '__pdj_using list --query' -l query -x -d 'JMESPath expression applied to the JSON document before printing'
complete -c pdj -n '__pdj_using list --no-color' -l no-color -d 'No colour, even on a terminal (NO_COLOR is honoured too)'
complete -c pdj -n '__pdj_using list --debug' -l debug -d 'Log the wire traffic (secrets redacted) and show tracebacks, on stderr'
complete -c pdj -n '__pdj_using list --help -h' -l help -s h -d 'Show this message and exit'

# pdj watch
complete -c pdj -n '__pdj_using watch --interval' -l interval -x -a '15s 30s 1m 5m 15m 1h 2h' -d 'Time between checks (at least 0.1s)'
complete -c pdj -n '__pdj_using watch --timeout' -l timeout -x -a '15s 30s 1m 5m 15m 1h 2h' -d 'Give up after this long and exit 3'
complete -c pdj -n '__pdj_using watch --grace' -l grace -x -a '15s 30s 1m 5m 15m 1h 2h' -d 'How long errors (throttling, 5xx, network) may go on for a job before they are its answer (exit 5)'
complete -c pdj -n '__pdj_using watch --heartbeat' -l heartbeat -x -a '15s 30s 1m 5m 15m 1h 2h' -d 'Off a terminal, a \'still ...\' line on stderr after this long without one; 0: none'
complete -c pdj -n '__pdj_using watch --wait-for-creation' -l wait-for-creation -x -a '15s 30s 1m 5m 15m 1h 2h' -d 'Treat \'not found\' as \'not created yet\' for this long after the watch starts (for a job created a moment ago)'
complete -c pdj -n '__pdj_using watch --exit-status' -l exit-status -d 'Accepted, and always on: a watch exits with the job\'s status (0 COMPLETED, 1 FAILED, 3 --timeout ran out)'
complete -c pdj -n '__pdj_using watch --ci' -l ci -x -a 'auto github none' -d 'GitHub Actions step summary and annotations: auto (when GITHUB_ACTIONS=true), github or none (env PDJ_CI)'
complete -c pdj -n '__pdj_using watch --junit-xml' -l junit-xml -r -F -d 'Write a JUnit XML report to FILE at the end: one test case per job'
complete -c pdj -n '__pdj_using watch --profile' -l profile -x -a '(__pdj_profiles)' -d 'AWS profile to use (env AWS_PROFILE)'
complete -c pdj -n '__pdj_using watch --region' -l region -x -d 'AWS region'
complete -c pdj -n '__pdj_using watch --endpoint-url' -l endpoint-url -x -d 'Personalize endpoint, e.g. the emulator\'s (env AWS_ENDPOINT_URL_PERSONALIZE, AWS_ENDPOINT_URL)'
complete -c pdj -n '__pdj_using watch --output -o' -l output -s o -x -a 'table json jsonl text csv markdown' -d 'Output format (env PDJ_OUTPUT); default table on a terminal, else json. csv and markdown: tables for spreadsheets and tickets'
complete -c pdj -n '__pdj_using watch --query' -l query -x -d 'JMESPath expression applied to the JSON document before printing'
complete -c pdj -n '__pdj_using watch --no-color' -l no-color -d 'No colour, even on a terminal (NO_COLOR is honoured too)'
complete -c pdj -n '__pdj_using watch --debug' -l debug -d 'Log the wire traffic (secrets redacted) and show tracebacks, on stderr'
complete -c pdj -n '__pdj_using watch --help -h' -l help -s h -d 'Show this message and exit'
complete -c pdj -n '__pdj_using watch' -x -a '(__pdj_cached_arns job)' -d 'ARN'

# pdj batch
complete -c pdj -n '__pdj_using batch' -l file -s f -r -F -d 'Read ARNs from FILE, one a line; blank lines and # comments are skipped (repeatable; `-f -` is standard input)'
complete -c pdj -n '__pdj_using batch' -l dataset-group-arn -x -a '(__pdj_cached_arns group)' -d 'Every job of this dataset group (repeatable)'
complete -c pdj -n '__pdj_using batch --concurrency -c' -l concurrency -s c -x -d 'Requests in flight at once'
complete -c pdj -n '__pdj_using batch --exit-status' -l exit-status -d 'Let the jobs\' statuses set the exit code (1 a job FAILED, 3 one not terminal), as --wait does'
complete -c pdj -n '__pdj_using batch --wait' -l wait -d 'Poll until every job is COMPLETED or FAILED'
complete -c pdj -n '__pdj_using batch --interval' -l interval -x -a '15s 30s 1m 5m 15m 1h 2h' -d 'Time between polls: 90, 90s, 5m, 1h30m'
complete -c pdj -n '__pdj_using batch --timeout' -l timeout -x -a '15s 30s 1m 5m 15m 1h 2h' -d 'Give up after waiting this long for the jobs to end (exit 3)'
complete -c pdj -n '__pdj_using batch --fail-fast' -l fail-fast -d 'Stop at the first FAILED job (exit 1); the others are reported as last seen'
complete -c pdj -n '__pdj_using batch --grace' -l grace -x -a '15s 30s 1m 5m 15m 1h 2h' -d 'How long errors (throttling, 5xx, network) may go on for a job before they are its answer (exit 5)'
complete -c pdj -n '__pdj_using batch --ci' -l ci -x -a 'auto github none' -d 'GitHub Actions step summary and annotations: auto (when GITHUB_ACTIONS=true), github or none (env PDJ_CI)'
complete -c pdj -n '__pdj_using batch --junit-xml' -l junit-xml -r -F -d 'Write a JUnit XML report to FILE at the end: one test case per job'
complete -c pdj -n '__pdj_using batch --profile' -l profile -x -a '(__pdj_profiles)' -d 'AWS profile to use (env AWS_PROFILE)'
complete -c pdj -n '__pdj_using batch --region' -l region -x -d 'AWS region'
complete -c pdj -n '__pdj_using batch --endpoint-url' -l endpoint-url -x -d 'Personalize endpoint, e.g. the emulator\'s (env AWS_ENDPOINT_URL_PERSONALIZE, AWS_ENDPOINT_URL)'
complete -c pdj -n '__pdj_using batch --output -o' -l output -s o -x -a 'table json jsonl text csv markdown' -d 'Output format (env PDJ_OUTPUT); default table on a terminal, else json. csv and markdown: tables for spreadsheets and tickets'
complete -c pdj -n '__pdj_using batch --query' -l query -x -d 'JMESPath expression applied to the JSON document before printing'
complete -c pdj -n '__pdj_using batch --no-color' -l no-color -d 'No colour, even on a terminal (NO_COLOR is honoured too)'
complete -c pdj -n '__pdj_using batch --debug' -l debug -d 'Log the wire traffic (secrets redacted) and show tracebacks, on stderr'
complete -c pdj -n '__pdj_using batch --help -h' -l help -s h -d 'Show this message and exit'
complete -c pdj -n '__pdj_using batch' -x -a '(__pdj_cached_arns job)' -d 'ARN|-'

# pdj create
complete -c pdj -n '__pdj_using create' -l dataset-group-arn -x -a '(__pdj_cached_arns group)' -d 'The dataset group to delete from; repeatable: one job per group, each in its group\'s region'
complete -c pdj -n '__pdj_using create --data-location' -l data-location -x -d 'The CSV of USER_IDs to delete (s3://bucket/users.csv), or a folder of them'
complete -c pdj -n '__pdj_using create --role-arn' -l role-arn -x -d 'The IAM role Personalize assumes to read the data location'
complete -c pdj -n '__pdj_using create --job-name' -l job-name -x -d 'The job\'s name (one group only)'
complete -c pdj -n '__pdj_using create --request-id' -l request-id -x -d 'The erasure request (a ticket number): names each job REQUEST-GROUP-HASH and tags it pdj:request-id=ID, so a re-run creates nothing twice'
complete -c pdj -n '__pdj_using create' -l tag -x -d 'A tag for every job (repeatable, at most 50)'
complete -c pdj -n '__pdj_using create --yes -y' -l yes -s y -d 'Do not ask: needed off a terminal (scripts, CI)'
complete -c pdj -n '__pdj_using create --dry-run' -l dry-run -d 'Print the exact request(s) as JSON and send nothing'
complete -c pdj -n '__pdj_using create --wait-for-slot' -l wait-for-slot -x -a '15s 30s 1m 5m 15m 1h 2h' -d 'When a group has too many pending deletion jobs, look again every --interval for up to DURATION until it has room, then create'
complete -c pdj -n '__pdj_using create --wait' -l wait -d 'Poll until every job is COMPLETED or FAILED'
complete -c pdj -n '__pdj_using create --interval' -l interval -x -a '15s 30s 1m 5m 15m 1h 2h' -d 'Time between polls: 90, 90s, 5m, 1h30m'
complete -c pdj -n '__pdj_using create --timeout' -l timeout -x -a '15s 30s 1m 5m 15m 1h 2h' -d 'Give up after waiting this long for the jobs to end (exit 3)'
complete -c pdj -n '__pdj_using create --fail-fast' -l fail-fast -d 'Stop at the first FAILED job (exit 1); the others are reported as last seen'
complete -c pdj -n '__pdj_using create --grace' -l grace -x -a '15s 30s 1m 5m 15m 1h 2h' -d 'How long errors (throttling, 5xx, network) may go on for a job before they are its answer (exit 5)'
complete -c pdj -n '__pdj_using create --ci' -l ci -x -a 'auto github none' -d 'GitHub Actions step summary and annotations: auto (when GITHUB_ACTIONS=true), github or none (env PDJ_CI)'
complete -c pdj -n '__pdj_using create --junit-xml' -l junit-xml -r -F -d 'Write a JUnit XML report to FILE at the end: one test case per job'
complete -c pdj -n '__pdj_using create --profile' -l profile -x -a '(__pdj_profiles)' -d 'AWS profile to use (env AWS_PROFILE)'
complete -c pdj -n '__pdj_using create --region' -l region -x -d 'AWS region'
complete -c pdj -n '__pdj_using create --endpoint-url' -l endpoint-url -x -d 'Personalize endpoint, e.g. the emulator\'s (env AWS_ENDPOINT_URL_PERSONALIZE, AWS_ENDPOINT_URL)'
complete -c pdj -n '__pdj_using create --output -o' -l output -s o -x -a 'table json jsonl text csv markdown' -d 'Output format (env PDJ_OUTPUT); default table on a terminal, else json. csv and markdown: tables for spreadsheets and tickets'
complete -c pdj -n '__pdj_using create --query' -l query -x -d 'JMESPath expression applied to the JSON document before printing'
complete -c pdj -n '__pdj_using create --no-color' -l no-color -d 'No colour, even on a terminal (NO_COLOR is honoured too)'
complete -c pdj -n '__pdj_using create --debug' -l debug -d 'Log the wire traffic (secrets redacted) and show tracebacks, on stderr'
complete -c pdj -n '__pdj_using create --help -h' -l help -s h -d 'Show this message and exit'

# pdj emulator
complete -c pdj -n '__pdj_using emulator --port' -l port -x -d 'Port on 127.0.0.1 to serve on; 0 picks a free one'
complete -c pdj -n '__pdj_using emulator --scenario' -l scenario -r -F -d 'JSON file of jobs to serve (default: the built-in sample set)'
complete -c pdj -n '__pdj_using emulator --latency' -l latency -x -d 'Seconds added before every answer'
complete -c pdj -n '__pdj_using emulator --throttle-rate' -l throttle-rate -x -d 'Fraction 0..1 of requests answered ThrottlingException'
complete -c pdj -n '__pdj_using emulator --error-rate' -l error-rate -x -d 'Fraction 0..1 of requests answered 500 or 503'
complete -c pdj -n '__pdj_using emulator --drop-rate' -l drop-rate -x -d 'Fraction 0..1 of requests whose connection is closed unanswered'
complete -c pdj -n '__pdj_using emulator --seed' -l seed -x -d 'Seed for the fault sequence, so runs repeat'
complete -c pdj -n '__pdj_using emulator --create-error' -l create-error -x -a 'resource-in-use access-denied s3-access-denied' -d 'Answer every valid create with an error: resource-in-use, access-denied (the caller) or s3-access-denied (the role cannot read the data)'
complete -c pdj -n '__pdj_using emulator --time-scale' -l time-scale -x -d 'How fast job timelines run: 2 = twice real time'
complete -c pdj -n '__pdj_using emulator --request-log' -l request-log -r -F -d 'Append every request as a JSON line to this file'
complete -c pdj -n '__pdj_using emulator --background' -l background -d 'Serve from a detached process and return at once, printing only the exports (PDJ_EMULATOR_PID included: `kill` it to stop the emulator)'
complete -c pdj -n '__pdj_using emulator --help -h' -l help -s h -d 'Show this message and exit'

# pdj demo
complete -c pdj -n '__pdj_using demo --speed' -l speed -x -d 'How fast the sample jobs advance: 2 = twice real time'
complete -c pdj -n '__pdj_using demo --help -h' -l help -s h -d 'Show this message and exit'

# pdj completion
complete -c pdj -n '__pdj_using completion --help -h' -l help -s h -d 'Show this message and exit'
complete -c pdj -n '__pdj_using completion; and not __pdj_has_word bash zsh fish' -x -a 'bash zsh fish' -d 'SHELL'
