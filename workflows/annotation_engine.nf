/*
 * ANNOTATION_ENGINE: verify the bundle once, then for every sample
 * vcf-annotate → kb-lookup → rule-tier → report-gen, and a cohort summary
 * after all samples.
 */

include { KB_BUNDLE_VERIFY  } from '../modules/local/kb_bundle_verify'
include { VCF_ANNOTATE      } from '../modules/local/vcf_annotate'
include { KB_LOOKUP         } from '../modules/local/kb_lookup'
include { RULE_TIER         } from '../modules/local/rule_tier'
include { REPORT_GEN        } from '../modules/local/report_gen'
include { REPORT_GEN_COHORT } from '../modules/local/report_gen_cohort'

workflow ANNOTATION_ENGINE {
    take:
    ch_samples // channel: [ val(meta), path(vcf) ]
    bundle     // path: knowledge-base bundle (directory or .tar.gz)

    main:
    // Checksums are verified once; every sample waits for the verified bundle.
    // A directory bundle is passed on as itself (a symlink to it from the
    // verify task would not resolve inside containers, which mount only each
    // task's inputs); a .tar.gz as the directory the verify task unpacked.
    KB_BUNDLE_VERIFY(bundle)
    ch_bundle = bundle.isDirectory()
        ? KB_BUNDLE_VERIFY.out.info.map { _info -> bundle }.first()
        : KB_BUNDLE_VERIFY.out.bundle.first()

    VCF_ANNOTATE(ch_samples, ch_bundle)
    KB_LOOKUP(VCF_ANNOTATE.out.vcf, ch_bundle)
    // The rules files ship with the pipeline; staged so the task (and its container) sees them.
    RULE_TIER(KB_LOOKUP.out.jsonl, ch_bundle, file("${projectDir}/conf/rules", checkIfExists: true))
    REPORT_GEN(RULE_TIER.out.jsonl)

    // The cohort summary runs once all samples have their report.
    REPORT_GEN_COHORT(
        REPORT_GEN.out.json.map { _meta, json -> json }.collect(sort: true)
    )

    ch_versions = KB_BUNDLE_VERIFY.out.versions
        .mix(VCF_ANNOTATE.out.versions.first())
        .mix(KB_LOOKUP.out.versions.first())
        .mix(RULE_TIER.out.versions.first())
        .mix(REPORT_GEN.out.versions.first())
        .mix(REPORT_GEN_COHORT.out.versions)

    emit:
    html     = REPORT_GEN.out.html
    cohort   = REPORT_GEN_COHORT.out.html
    versions = ch_versions
}
