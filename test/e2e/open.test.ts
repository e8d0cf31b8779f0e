/** Issue 5 work that has not landed yet, kept visible. */
import { test } from 'vitest';

test.todo('networks A–D, LeNet and the 3D-UNet under Porthos and SecureNN agree with plaintext fixed point within the truncation bound and with onnxruntime within the compile-time bound');
test.todo('npm run bench:resnet50: ResNet50 under Porthos executed for real, metered bytes equal to 6,868,083,720, time and peak memory recorded in the README');
