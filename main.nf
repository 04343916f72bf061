#!/usr/bin/env nextflow
/*
 * annotation-engine
 *
 * Open, fast, reproducible clinical variant interpretation:
 * sample sheet → vcf-annotate → kb-lookup → rule-tier → report-gen.
 *
 *   nextflow run . -profile test,docker --outdir results
 *   nextflow run . -profile slurm,singularity --input samplesheet.csv --bundle kb-GRCh38/ --outdir results
 */

include { validateParameters; paramsSummaryLog; samplesheetToList } from 'plugin/nf-schema'
include { ANNOTATION_ENGINE } from './workflows/annotation_engine'

workflow {
    main:
    if (params.validate_params) {
        validateParameters()
    }
    log.info(paramsSummaryLog(workflow))

    ch_samples = channel
        .fromList(samplesheetToList(params.input, "${projectDir}/assets/schema_input.json"))
        .map { meta, vcf ->
            def target = meta.target_size_mb ?: params.default_target_size_mb
            [meta + [target_size_mb: target], vcf]
        }

    ANNOTATION_ENGINE(ch_samples, file(params.bundle, checkIfExists: true))

    ANNOTATION_ENGINE.out.versions
        .unique()
        .collectFile(name: 'software_versions.yml', storeDir: "${params.outdir}/pipeline_info", sort: true, newLine: true)
}
