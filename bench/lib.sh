# lib.sh: what the bench scripts share; source it after setting $root.

# Sets $podium to the podium executable: $PODIUM (relative to the repository
# or the current directory) or build/podium; exits 66 when there is none.
bench_find_podium() {
    podium=${PODIUM:-build/podium}
    if [[ $podium != /* ]]; then
        if [[ -e $root/$podium ]]; then
            podium=$root/$podium
        elif [[ -e $PWD/$podium ]]; then
            podium=$PWD/$podium
        fi
    fi
    if [[ ! -x $podium ]]; then
        echo "bench: no podium executable at '$podium' (build it with make, or set PODIUM)" >&2
        exit 66
    fi
}
