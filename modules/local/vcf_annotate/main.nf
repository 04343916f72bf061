process VCF_ANNOTATE {
    tag "${meta.id}"
    label 'process_medium'

    container 'annotation-engine/vcf-annotate:0.1.0'

    input:
    tuple val(meta), path(vcf)
    path bundle

    output:
    tuple val(meta), path("${meta.id}.annotated.vcf.gz"), path("${meta.id}.annotated.vcf.gz.tbi"), emit: vcf
    tuple val(meta), path("${meta.id}.vcf-annotate.json"),                                          emit: summary
    path "versions.yml",                                                                              emit: versions

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    vcf-annotate \\
        ${args} \\
        --bundle ${bundle} \\
        --threads ${task.cpus} \\
        --summary ${prefix}.vcf-annotate.json \\
        --output ${prefix}.annotated.vcf.gz \\
        ${vcf}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vcf-annotate: \$(vcf-annotate --version | sed 's/^vcf-annotate //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    echo | gzip > ${prefix}.annotated.vcf.gz
    touch ${prefix}.annotated.vcf.gz.tbi
    echo '{}' > ${prefix}.vcf-annotate.json

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        vcf-annotate: \$(vcf-annotate --version | sed 's/^vcf-annotate //')
    END_VERSIONS
    """
}
