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
    // Sample sheet columns tumour_sample / normal_sample name the VCF columns
    // when the header does not say which is which (empty: not given).
    def tumour_sample = meta.tumour_sample ?: ''
    def normal_sample = meta.normal_sample ?: ''
    """
    kb-lookup annotate \\
        ${args} \\
        --bundle ${bundle} \\
        --sample-type ${meta.sample_type} \\
        --tumour-sample '${tumour_sample}' \\
        --normal-sample '${normal_sample}' \\
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
