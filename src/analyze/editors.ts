/**
 * Software that re-saves photos: editors, converters, photo managers. Its name in Software,
 * XMP CreatorTool or XMP history means the file is not as the camera wrote it. First match wins,
 * so the more specific names (Lightroom, Camera Raw) come before the general ones (Photoshop).
 */
import { memoized } from "../util/memo.js";

export interface Editor {
  name: string;
  pattern: RegExp;
}

export const EDITORS: readonly Editor[] = [
  { name: "Adobe Lightroom", pattern: /lightroom/i },
  { name: "Adobe Camera Raw", pattern: /camera raw/i },
  { name: "Adobe Photoshop Express", pattern: /photoshop express/i },
  { name: "Adobe Photoshop Elements", pattern: /photoshop elements/i },
  { name: "Adobe Photoshop", pattern: /photoshop/i },
  { name: "Adobe Bridge", pattern: /adobe bridge/i },
  { name: "GIMP", pattern: /\bgimp\b/i },
  { name: "Snapseed", pattern: /snapseed/i },
  { name: "paint.net", pattern: /paint\.net/i },
  { name: "Pixelmator", pattern: /pixelmator/i },
  { name: "Affinity Photo", pattern: /affinity photo/i },
  { name: "Capture One", pattern: /capture one/i },
  { name: "darktable", pattern: /darktable/i },
  { name: "RawTherapee", pattern: /rawtherapee/i },
  { name: "digiKam", pattern: /digikam/i },
  { name: "ACDSee", pattern: /acdsee/i },
  { name: "Corel PaintShop Pro", pattern: /paint ?shop/i },
  { name: "PhotoScape", pattern: /photoscape/i },
  { name: "Picasa", pattern: /picasa/i },
  { name: "Windows Photo Gallery", pattern: /photo gallery|microsoft photos/i },
  { name: "Apple Aperture", pattern: /^aperture \d/i },
  { name: "Apple iPhoto", pattern: /iphoto/i },
  { name: "Apple QuickTime", pattern: /quicktime/i },
  { name: "ImageMagick", pattern: /imagemagick|graphicsmagick/i },
  { name: "IrfanView", pattern: /irfanview/i },
  // XnView writes its image library's name, "LIBFORMAT (c) Pierre-e Gougelet".
  { name: "XnView", pattern: /xnview|libformat/i },
  { name: "FastStone", pattern: /faststone/i },
  { name: "PhotoDirector", pattern: /photodirector/i },
  { name: "Luminar", pattern: /luminar/i },
  { name: "Polarr", pattern: /polarr/i },
  { name: "VSCO", pattern: /\bvsco\b/i },
  { name: "PicsArt", pattern: /picsart/i },
  { name: "Fotor", pattern: /\bfotor\b/i },
  { name: "Facetune", pattern: /facetune/i },
  { name: "Instagram", pattern: /instagram/i },
  { name: "Olympus Master", pattern: /olympus master|camedia master|olympus viewer/i },
  { name: "Canon Digital Photo Professional", pattern: /digital photo professional|zoombrowser/i },
  { name: "Nikon Capture NX", pattern: /capture nx|nx studio/i },
];

/** The editor a Software / CreatorTool / history value names; null for camera firmware and the unknown. */
export function editorOf(value: string | null): string | null {
  return value === null ? null : knownEditorOf(value);
}

/** Some forty patterns a value: one phone's Software is the same on every photo it took. */
const knownEditorOf = memoized((value: string): string | null => EDITORS.find((editor) => editor.pattern.test(value))?.name ?? null);
