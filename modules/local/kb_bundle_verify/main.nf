process KB_BUNDLE_VERIFY {
    tag "${bundle.name}"
    label 'process_single'

    container 'annotation-engine/kb-lookup:0.1.0'

    input:
    path bundle

    output:
    path "verified/*", type: 'dir', emit: bundle
    path "bundle_info.txt",          emit: info
    path "versions.yml",             emit: versions

    script:
    def args = task.ext.args ?: ''
    """
    kb-lookup bundle verify ${args} ${bundle}
    kb-lookup bundle info ${bundle} > bundle_info.txt
    mkdir verified
    if [ -d ${bundle} ]; then
        ln -s ../${bundle} verified/${bundle}
    else
        kb-lookup bundle unpack ${bundle} --out verified/bundle
    fi

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        kb-lookup: \$(kb-lookup --version | sed 's/^kb-lookup //')
    END_VERSIONS
    """

    stub:
    """
    mkdir -p verified/bundle
    touch verified/bundle/manifest.json bundle_info.txt

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        kb-lookup: \$(kb-lookup --version | sed 's/^kb-lookup //')
    END_VERSIONS
    """
}
