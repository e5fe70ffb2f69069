import * as pulumi from "@pulumi/pulumi";
import type { TemplateDeclaration } from "./templateFile";
import { ContentTemplate } from "./twilio";

/** The stack's WhatsApp templates, one ContentTemplate per file in `templates/`. */
export interface TemplatesArgs {
  /** The declared templates (from `loadTemplateFiles`). */
  readonly templates: readonly TemplateDeclaration[];
}

/** One ContentTemplate per declared template, and the map the bot reads as TEMPLATE_SIDS. */
export class Templates extends pulumi.ComponentResource {
  /** Each template by its name. */
  declare readonly templates: Record<string, ContentTemplate>;
  /** Template name -> HX SID. */
  declare readonly sids: pulumi.Output<Record<string, string>>;
  /** The same map as JSON text: the Lambda's `TEMPLATE_SIDS`. */
  declare readonly sidsJson: pulumi.Output<string>;

  constructor(name: string, args: TemplatesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("whatsapp-bot:index:Templates", name, {}, opts);
    const names = new Set<string>();
    const templates: Record<string, ContentTemplate> = {};
    for (const t of args.templates) {
      if (names.has(t.name)) throw new Error(`[templates] two templates are named ${t.name}`);
      names.add(t.name);
      // Not protected even in prod: a content change is a replacement, which protect would refuse.
      templates[t.name] = new ContentTemplate(`${name}-${t.name}`, t.inputs, { parent: this });
    }
    this.templates = templates;
    // By `.id` (the SID): an updated dynamic resource's outputs are unknown in a preview, its id is not.
    this.sids = pulumi
      .all(Object.fromEntries(Object.entries(templates).map(([k, t]) => [k, t.id])))
      .apply((sids) => ({ ...sids }));
    this.sidsJson = this.sids.apply((sids) => JSON.stringify(sids));
    this.registerOutputs({ sids: this.sids });
  }
}
