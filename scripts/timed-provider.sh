#!/bin/sh
# The provider as cmd/planbench runs it: $PLANBENCH_PROVIDER under GNU time,
# which appends the process's user and system CPU seconds and peak RSS (KiB)
# to $PLANBENCH_PROCS.
exec /usr/bin/time -a -o "$PLANBENCH_PROCS" -f '%U %S %M' "$PLANBENCH_PROVIDER" "$@"
