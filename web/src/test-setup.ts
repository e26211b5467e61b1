import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// jsdom has no canvas; a blurhash placeholder is left unpainted unless a test brings a context of its own.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

// Nor object URLs: a preview only needs a string.
let previews = 0;
URL.createObjectURL = () => `blob:preview-${++previews}`;
URL.revokeObjectURL = () => undefined;

// Nor scrolling: an album's arrows scroll their photo into view.
Element.prototype.scrollIntoView = () => undefined;
