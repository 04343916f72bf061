process REPORT_GEN {
    tag "${meta.id}"
    label 'process_single'

    container 'annotation-engine/report-gen:0.1.0'

    input:
    tuple val(meta), path(jsonl)

    output:
    tuple val(meta), path("${meta.id}.html"), emit: html
    tuple val(meta), path("${meta.id}.json"), emit: json
    tuple val(meta), path("${meta.id}.tsv"),  emit: tsv
    path "versions.yml",                      emit: versions

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    report-gen sample \\
        ${args} \\
        --sample ${meta.id} \\
        --out-dir . \\
        --prefix ${prefix} \\
        ${jsonl}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        report-gen: \$(report-gen --version | sed 's/^report-gen //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.html ${prefix}.json ${prefix}.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        report-gen: \$(report-gen --version | sed 's/^report-gen //')
    END_VERSIONS
    """
}
