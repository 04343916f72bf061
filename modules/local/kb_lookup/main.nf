process KB_LOOKUP {
    tag "${meta.id}"
    label 'process_low'

    container 'annotation-engine/kb-lookup:0.1.0'

    input:
    tuple val(meta), path(vcf), path(tbi)
    path bundle

    output:
    tuple val(meta), path("${meta.id}.kb.jsonl"), emit: jsonl
    path "versions.yml",                          emit: versions

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    kb-lookup annotate \\
        ${args} \\
        --bundle ${bundle} \\
        --output ${prefix}.kb.jsonl \\
        ${vcf}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        kb-lookup: \$(kb-lookup --version | sed 's/^kb-lookup //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.kb.jsonl

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        kb-lookup: \$(kb-lookup --version | sed 's/^kb-lookup //')
    END_VERSIONS
    """
}
