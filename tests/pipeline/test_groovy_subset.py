"""Unit tests of the strict Groovy renderer used by run_modules.py.

    python3 -m unittest discover -s tests/pipeline -p 'test_*.py'
"""

import unittest

from groovy_subset import GroovyError, MapValue, Parser, StagedPath, evaluate, tokenize
from run_modules import strip_indent


def render(source, env):
    return evaluate(Parser(tokenize(source), "<test>").expression_only(), env)


class RendererTest(unittest.TestCase):
    def test_interpolation_and_escapes(self):
        env = {"meta": MapValue(id="S1"), "bundle": StagedPath("kb")}
        text = render('"""\n    tool --bundle ${bundle} \\\\\n        ${meta.id}.vcf \\$(date)\n    """', env)
        self.assertEqual(text, "\n    tool --bundle kb \\\n        S1.vcf $(date)\n    ")

    def test_unknown_name_fails(self):
        with self.assertRaisesRegex(GroovyError, "unknown name `sample`"):
            render('"${sample}.vcf"', {})

    def test_unescaped_dollar_name_is_interpolated_not_passed_to_the_shell(self):
        with self.assertRaisesRegex(GroovyError, "unknown name `HOME`"):
            render('"cd $HOME"', {})

    def test_unsupported_escape_fails(self):
        with self.assertRaisesRegex(GroovyError, "unsupported escape"):
            render('"a\\qb"', {})

    def test_unknown_method_fails(self):
        with self.assertRaisesRegex(GroovyError, "unsupported method .toUpperCase"):
            render("'x'.toUpperCase()", {})

    def test_missing_meta_key_is_null_but_task_property_is_an_error(self):
        env = {"meta": MapValue(id="S1"), "task": {"cpus": 2}}
        self.assertEqual(render("meta.tumour_type ? \"--tumour-type ${meta.tumour_type}\" : ''", env), "")
        with self.assertRaisesRegex(GroovyError, "unknown property `.memory`"):
            render('"${task.memory}"', env)

    def test_ext_args_idiom(self):
        env = {"params": {"min_vaf": 0.05, "keep_filtered": False}}
        closure = render("{ [\"--tmb-min-vaf ${params.min_vaf}\", params.keep_filtered ? '--classify-filtered' : '',]"
                         ".findAll { arg -> arg }.join(' ') }", env)
        self.assertEqual(closure(), "--tmb-min-vaf 0.05")

    def test_publish_dir_path_and_save_as(self):
        env = {"params": {"outdir": "out"}, "task": {"process": "WF:REPORT_GEN"}}
        self.assertEqual(render("\"${params.outdir}/${task.process.tokenize(':')[-1].toLowerCase()}\"", env),
                         "out/report_gen")
        save_as = render("{ filename -> filename == 'versions.yml' ? null : filename }", env)
        self.assertIsNone(save_as("versions.yml"))
        self.assertEqual(save_as("a.html"), "a.html")

    def test_strip_indent_keeps_relative_indentation(self):
        self.assertEqual(strip_indent("\n    a \\\n        b\n    END\n    "), "\na \\\n    b\nEND\n")


if __name__ == "__main__":
    unittest.main()
