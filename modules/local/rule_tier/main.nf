process RULE_TIER {
    tag "${meta.id}"
    label 'process_single'

    container 'annotation-engine/rule-tier:0.1.0'

    input:
    tuple val(meta), path(jsonl)
    path bundle
    path rules  // directory of the rules files (conf/rules)

    output:
    tuple val(meta), path("${meta.id}.tiered.jsonl"), emit: jsonl
    tuple val(meta), path("${meta.id}.explain.txt"),  emit: explain
    path "versions.yml",                              emit: versions

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    def tumour_type = meta.tumour_type ? "--tumour-type ${meta.tumour_type}" : ''
    def target_size = meta.target_size_mb ? "--target-size-mb ${meta.target_size_mb}" : ''
    """
    rule-tier \\
        ${args} \\
        --bundle ${bundle} \\
        --rules ${rules} \\
        --sample-type ${meta.sample_type} \\
        ${tumour_type} \\
        ${target_size} \\
        --explain-file ${prefix}.explain.txt \\
        --output ${prefix}.tiered.jsonl \\
        ${jsonl}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        rule-tier: \$(rule-tier --version | sed 's/^rule-tier //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.tiered.jsonl ${prefix}.explain.txt

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        rule-tier: \$(rule-tier --version | sed 's/^rule-tier //')
    END_VERSIONS
    """
}
