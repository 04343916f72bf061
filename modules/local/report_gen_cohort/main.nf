process REPORT_GEN_COHORT {
    tag "cohort"
    label 'process_single'

    container 'annotation-engine/report-gen:0.1.0'

    input:
    path reports

    output:
    path "cohort.html",  emit: html
    path "cohort.tsv",   emit: tsv
    path "versions.yml", emit: versions

    script:
    def args = task.ext.args ?: ''
    """
    report-gen cohort \\
        ${args} \\
        --out-dir . \\
        --prefix cohort \\
        ${reports}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        report-gen: \$(report-gen --version | sed 's/^report-gen //')
    END_VERSIONS
    """

    stub:
    """
    touch cohort.html cohort.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        report-gen: \$(report-gen --version | sed 's/^report-gen //')
    END_VERSIONS
    """
}
